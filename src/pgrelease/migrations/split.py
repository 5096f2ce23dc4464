"""Split a migration file into statements, the way psql would, without running psql.

Where psql's heuristics and the server's grammar disagree, the server wins: it is what runs
the statements (one by one outside a transaction). So every non-ASCII character is an
identifier letter (as in PostgreSQL's scanner), and a ``BEGIN ATOMIC`` body ends at the
``END`` that stands where an inner statement would start (psql also counts ``CASE`` and so
misreads ``select 1 as case``).

One hand-written scanner: an index-based loop that matches one token at a time with a
precompiled regex, jumps over strings, quoted identifiers, dollar bodies and comments with
``str.find`` / small regexes, and over runs of ordinary tokens with one regex match. It
understands everything that can hide a semicolon (quotes of every kind, nested block
comments, ``BEGIN ATOMIC ... END`` bodies, parentheses as in ``CREATE RULE ... DO (a; b)``)
and the data block of ``COPY ... FROM stdin``. psql meta-commands are rejected: the runner
talks to the server, not to psql.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from pgrelease.errors import SqlFileError

__all__ = ["Statement", "Token", "split_sql", "tokens"]


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement of a file, without its terminating semicolon."""

    sql: str  # first significant token .. last one; inner comments kept
    line: int  # 1-based line of the first token
    column: int  # 1-based column of the first token
    end_line: int  # line of the terminating semicolon (or of the last token)
    copy_data: str | None = None  # COPY ... FROM stdin: the data lines, verbatim, before \.
    leading_comments: tuple[str, ...] = ()  # comments since the previous statement's line


@dataclass(frozen=True, slots=True)
class Token:
    """A significant token: kind is word, string, dollar, ident, param, number, op or semi."""

    kind: str
    text: str
    start: int


# PostgreSQL's scanner takes every character outside ASCII for a letter (ident_start is
# [A-Za-z\200-\377_] on the UTF-8 bytes): an emoji, a combining mark or a no-break space
# continues an identifier or a dollar-quote tag exactly like `a` does.
# Written as negated ASCII classes: the same sets as [A-Za-z_\u0080-\U0010ffff] (+ 0-9 $),
# but `re` compiles a class with a range past U+00FF by filling a 64K-entry map, about
# 1.5 ms per class; these patterns hold a dozen, which was most of `import pgrelease`'s
# cost before a push (tests/migrations/test_split.py checks the sets are equal).
_IDENT_START = r"[^\x00-\x40\x5b-\x5e\x60\x7b-\x7f]"  # A-Za-z _ and every non-ASCII character
_IDENT_CONT = r"[^\x00-\x23\x25-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"  # ... and 0-9 $
_TAG_CONT = r"[^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"  # ... and 0-9

# One alternative per token kind; the order matters (E'' / U&'' / B'' / X'' before words,
# `--` and `/*` before operators). `op` catches any other single character, so a match
# always exists.
_TOKEN_RE = re.compile(
    rf"""
      (?P<space>[ \t\n\r\f\v]+)
    | (?P<comment>--[^\r\n]*)
    | (?P<block>/\*)
    | (?P<estr>[eE]')
    | (?P<ustr>[uU]&')
    | (?P<bstr>[bBxX]')
    | (?P<str>')
    | (?P<ident>(?:[uU]&)?")
    | (?P<dollar>\$(?:{_IDENT_START}{_TAG_CONT}*)?\$)
    | (?P<param>\$\d+)
    | (?P<word>{_IDENT_START}{_IDENT_CONT}*)
    | (?P<number>\d+)
    | (?P<semi>;)
    | (?P<backslash>\\)
    | (?P<op>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _run_pattern(stop_words: tuple[str, ...]) -> re.Pattern[str]:
    """A run of tokens that cannot change where a statement ends.

    Words (except ``stop_words`` and E'' / U&'' prefixes), numbers, whitespace, parentheses
    and operators that start no comment: the scanner jumps over such a run in one step.
    """
    stop = "".join(rf"(?!(?i:{w})(?!{_IDENT_CONT}))" for w in stop_words)
    word = rf"{stop}{_IDENT_START}{_IDENT_CONT}*+(?!['&])"
    other = r"\d++|[(),.=<>+*%^|!~#@:\[\]{}?]|-(?!-)|/(?!\*)"
    return re.compile(rf"(?:[ \t\n\r\f\v]*+(?:{word}|{other}))++")


_PLAIN_RUN = _run_pattern(())
_ROUTINE_RUN = _run_pattern(("begin",))  # until BEGIN ATOMIC
_ATOMIC_RUN = _run_pattern(("begin", "end"))  # inside BEGIN ATOMIC ... END
_PARENS = re.compile(r"[()]")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_BLOCK_STOP = re.compile(r"/\*|\*/")
_ESCAPED_STOP = re.compile(r"['\\]")
_COPY_END = re.compile(r"(?<![^\r\n])\\\.(?:\r\n|\r|\n|\Z)")
_META_NAME = re.compile(r"\\(?:[A-Za-z]+|[^\sA-Za-z]?)")
_OFF_VALUES = frozenset({"off", "of", "false", "f", "no", "n", "0"})
_ROUTINES = frozenset({"function", "procedure"})

_PUBLIC_KIND = {"estr": "string", "ustr": "string", "bstr": "string", "str": "string"}
_NOT_TOKENS = frozenset({"space", "comment", "block"})
_UNTERMINATED = {
    "block": "block comment",
    "estr": "quoted string",
    "ustr": "quoted string",
    "bstr": "quoted string",
    "str": "quoted string",
    "ident": "quoted identifier",
    "dollar": "dollar-quoted string",
}


# --- closers: given the offset just after an opening quote, return the offset just after
# --- the closing one, or -1 when the text ends first.


def _close_doubled(text: str, pos: int, quote: str) -> int:
    """Close '...' or "..." where a doubled quote is an escaped quote."""
    while True:
        j = text.find(quote, pos)
        if j < 0:
            return -1
        if text.startswith(quote, j + 1):
            pos = j + 2
            continue
        return j + 1


def _close_escaped(text: str, pos: int) -> int:
    """Close E'...' (backslash escapes, and '' too)."""
    while True:
        m = _ESCAPED_STOP.search(text, pos)
        if m is None:
            return -1
        j = m.start()
        if text[j] == "\\" or text.startswith("'", j + 1):
            pos = j + 2
            continue
        return j + 1


def _close_block(text: str, pos: int) -> int:
    """Close a (possibly nested) /* ... */ comment."""
    depth = 1
    while depth:
        m = _BLOCK_STOP.search(text, pos)
        if m is None:
            return -1
        depth += 1 if m.group() == "/*" else -1
        pos = m.end()
    return pos


def _close(kind: str, text: str, pos: int, opener: str, scs: bool) -> int:
    if kind == "str":
        return _close_doubled(text, pos, "'") if scs else _close_escaped(text, pos)
    if kind == "dollar":
        j = text.find(opener, pos)
        return -1 if j < 0 else j + len(opener)
    if kind == "block":
        return _close_block(text, pos)
    if kind == "estr":
        return _close_escaped(text, pos)
    if kind == "ustr" or kind == "bstr":  # U&'' and B'' / X'' never take backslash escapes
        return _close_doubled(text, pos, "'")
    return _close_doubled(text, pos, '"')


_NEEDS_CLOSE = frozenset(_UNTERMINATED)


def _lex(text: str, pos: int, scs: bool) -> tuple[str, int]:
    """Kind and end offset of the token at ``pos``; end is -1 if a quote never closes."""
    m = _TOKEN_RE.match(text, pos)
    assert m is not None  # the `op` alternative matches any character
    kind = m.lastgroup
    assert kind is not None
    end = m.end()
    if kind in _NEEDS_CLOSE:
        end = _close(kind, text, end, m.group(), scs)
    return kind, end


def tokens(sql: str) -> Iterator[Token]:
    """Significant tokens of ``sql``; comments and whitespace skipped, quotes kept whole."""
    pos, n = 0, len(sql)
    while pos < n:
        kind, end = _lex(sql, pos, True)
        if end < 0:
            end = n
        if kind not in _NOT_TOKENS:
            yield Token(_PUBLIC_KIND.get(kind, kind), sql[pos:end], pos)
        pos = end


def split_sql(text: str, *, path: str | None = None) -> list[Statement]:
    """Split a SQL file into statements; raises SqlFileError for psql-only input."""
    return _Splitter(text, path).split()


def _may_become_routine(head: list[str]) -> bool:
    """True while the first words are still a prefix of CREATE OR REPLACE."""
    if head[0] != "create":
        return False
    return len(head) == 1 or (head[1] == "or" and (len(head) == 2 or head[2] == "replace"))


def _is_routine(head: list[str]) -> bool:
    """CREATE [OR REPLACE] {FUNCTION | PROCEDURE}: the statements that may hold BEGIN ATOMIC."""
    if len(head) < 2 or head[0] != "create":
        return False
    if head[1] in _ROUTINES:
        return True
    return len(head) == 4 and head[1:3] == ["or", "replace"] and head[3] in _ROUTINES


@dataclass
class _Pending:
    """The statement being scanned."""

    start: int = -1  # offset of the first significant token
    end: int = -1  # offset just after the last significant token
    paren: int = 0
    atomic: int = 0  # BEGIN ATOMIC nesting
    body_start: bool = False  # inside BEGIN ATOMIC, where the next inner statement starts
    routine: bool = False
    run: re.Pattern[str] | None = None  # what the scanner may jump over in one step
    copy_stdin: bool = False
    prev_word: str = ""
    head: list[str] = field(default_factory=list)  # leading words (lowercased) until `run` is known
    comments: list[str] = field(default_factory=list)

    def token(self, kind: str, text: str, pos: int, end: int) -> None:
        """Account for one significant token (anything but space, comments, `;` at the end)."""
        if self.start < 0:
            self.start = pos
        self.end = end
        if kind == "word":
            w = text[pos:end]
            # Keywords are ASCII; str.lower() would fold some other letters into ASCII ones.
            self.word(w.lower() if w.isascii() else "")
            return
        self.prev_word = ""
        if self.atomic:
            self.body_start = kind == "semi"
        if kind == "op":
            self.parens(text[pos])

    def parens(self, chars: str) -> None:
        """Track parenthesis depth; a stray `)` is ignored, as psql does."""
        if "(" in chars or ")" in chars:
            for paren in _PARENS.findall(chars):
                if paren == "(":
                    self.paren += 1
                elif self.paren:
                    self.paren -= 1

    def word(self, w: str) -> None:
        """Track the keywords that decide where the statement ends."""
        if self.run is None and len(self.head) < 4:
            head = self.head
            head.append(w)
            self.routine = _is_routine(head)
            if self.routine:
                self.run = _ROUTINE_RUN
            elif head[0] != "copy" and not (len(head) < 4 and _may_become_routine(head)):
                self.run = _PLAIN_RUN
        if self.atomic:
            # The body is `BEGIN ATOMIC stmt; stmt; ... END`: its END stands where an inner
            # statement would start. Any other END closes a CASE or is a label (`1 AS end`).
            if self.body_start and w == "end":
                self.atomic -= 1
            elif w == "atomic" and self.prev_word == "begin":
                self.atomic += 1  # a routine created inside the body
                self.body_start = True
                self.prev_word = w
                return
            self.body_start = False
        elif self.paren == 0:
            if w == "atomic" and self.routine and self.prev_word == "begin":
                self.atomic = 1
                self.body_start = True
                self.run = _ATOMIC_RUN
            elif w == "stdin" and self.prev_word == "from" and self.head[0] == "copy":
                self.copy_stdin = True
        self.prev_word = w


class _Splitter:
    def __init__(self, text: str, path: str | None) -> None:
        self.text = text[1:] if text.startswith("\ufeff") else text
        self.path = path
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.text)]
        self.scs = True
        self.out: list[Statement] = []
        self.meta: list[tuple[int, str]] = []  # (line, name) of each psql meta-command, all refused at the end

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def error(self, message: str, hint: str, line: int) -> SqlFileError:
        return SqlFileError(message, hint=hint, file=self.path, line=line)

    def split(self) -> list[Statement]:
        text, n = self.text, len(self.text)
        st = _Pending()
        same_line = False  # still on the line of the previous statement's semicolon
        pos = 0
        while pos < n:
            if st.run is not None and st.prev_word != "begin":
                run = st.run.match(text, pos)
                if run is not None:
                    pos = st.end = run.end()
                    st.prev_word = ""
                    st.body_start = False
                    st.parens(run.group())
                    continue
            kind, end = _lex(text, pos, self.scs)
            if end < 0:
                raise self._meta_commands() if self.meta else self._unterminated(kind, pos)
            if kind == "space" or kind == "comment" or kind == "block":
                if kind != "space" and st.start < 0 and not same_line:
                    st.comments.append(text[pos:end])
                if same_line and kind != "comment" and _NEWLINE.search(text, pos, end):
                    same_line = False
            elif kind == "semi" and st.paren == 0 and st.atomic == 0:
                same_line = True
                if st.start >= 0:
                    end = self._finish(st, pos)
                    same_line = not st.copy_stdin
                    st = _Pending()
            elif kind == "backslash":  # refused; the rest of its line is its arguments
                end = self._meta_command(pos)
            else:
                st.token(kind, text, pos, end)
            pos = end
        if self.meta:
            raise self._meta_commands()
        if st.start >= 0:
            self._finish(st, None)
        return self.out

    def _finish(self, st: _Pending, semi: int | None) -> int:
        """Record the statement; return the offset where scanning resumes."""
        sql = self.text[st.start : st.end]
        line = self.line_of(st.start)
        column = st.start - self.line_starts[line - 1] + 1
        last = semi if semi is not None else st.end - 1
        resume = semi + 1 if semi is not None else len(self.text)
        copy_data = None
        if st.copy_stdin:
            copy_data, resume = self._copy_data(resume, line)
        if st.head and st.head[0] in ("set", "reset", "discard"):
            self._track_standard_conforming_strings(sql)
        self.out.append(
            Statement(sql, line, column, self.line_of(last), copy_data, tuple(st.comments))
        )
        return resume

    def _copy_data(self, pos: int, line: int) -> tuple[str, int]:
        """The data lines after ``COPY ... FROM stdin;`` up to ``\\.``, and the offset after it."""
        text = self.text
        eol = _NEWLINE.search(text, pos)
        rest = text[pos : eol.start() if eol else len(text)].strip()
        if rest and not rest.startswith("--"):
            raise self.error(
                f"text after COPY ... FROM stdin on line {line}",
                "the COPY data must start on the line after the statement",
                line,
            )
        end = _COPY_END.search(text, eol.end()) if eol else None
        if eol is None or end is None:
            raise self.error(
                f"COPY ... FROM stdin on line {line} has no terminating \\. line",
                "end the data block with a line holding only \\.",
                line,
            )
        return text[eol.end() : end.start()], end.end()

    def _track_standard_conforming_strings(self, sql: str) -> None:
        """Follow SET / RESET standard_conforming_strings (and RESET ALL, DISCARD ALL): with it
        off, the server reads a backslash in '...' as an escape, and so must the splitter."""
        words = [t.text.lower() for t in tokens(sql)]
        if words in (["reset", "all"], ["discard", "all"], ["reset", "standard_conforming_strings"]):
            self.scs = True
            return
        i = 2 if words[1:2] in (["session"], ["local"]) else 1
        if words[i : i + 1] == ["standard_conforming_strings"] and words[i + 1 : i + 2] in (["="], ["to"]):
            value = words[i + 2 : i + 3]
            if len(words) == i + 3:
                self.scs = value[0].strip("'\"") not in _OFF_VALUES

    def _unterminated(self, kind: str, pos: int) -> SqlFileError:
        what = _UNTERMINATED[kind]
        line = self.line_of(pos)
        return self.error(
            f"unterminated {what} starting on line {line}",
            f"close the {what}; as written it runs to the end of the file",
            line,
        )

    def _meta_command(self, pos: int) -> int:
        """Note the meta-command at ``pos``; return the offset of the end of its line."""
        m = _META_NAME.match(self.text, pos)
        self.meta.append((self.line_of(pos), m.group() if m else "\\"))
        eol = _NEWLINE.search(self.text, pos)
        return eol.start() if eol else len(self.text)

    def _meta_commands(self) -> SqlFileError:
        """One error naming every meta-command of the file."""
        hint = ("pgrelease sends the file's SQL to the server, not to psql: inline the included "
                "file or replace the meta-command with plain SQL")
        each = [f"psql meta-command {name} on line {line} cannot run here" for line, name in self.meta]
        error = self.error(each[0], hint, self.meta[0][0])
        if len(each) > 1:
            listed = ", ".join(f"{name} on line {line}" for line, name in self.meta)
            error.message = f"psql meta-commands {listed} cannot run here"
            error.extra["refused"] = [{"line": line, "message": m} for (line, _), m in zip(self.meta, each)]
        return error
