"""Publishing the gate's result on the pull request: the comment (found by its marker,
edited in place) and the commit status, as one report step."""

from __future__ import annotations

import time

from ..report.model import Report, Step
from ..secrets import scrub
from .comment import CommentContext, gate_markdown
from .context import GitHubContext
from .publish import PublishOptions, comment_marker, publish

COMMENT_MODES = ("on", "off", "on-failure")


def status_description(report: Report) -> str:
    failed = [s for s in report.steps if s.status == "failed"]
    if report.status == "ok":
        done = [s.name for s in report.steps if s.status in ("ok", "warning")]
        return f"passed: {', '.join(done)}"
    return "failed: " + "; ".join(f"{s.name} ({s.summary})" if s.summary else s.name for s in failed)


def comment_context(ctx: GitHubContext | None, workdir: str, er_diagram: str | None) -> CommentContext:
    return CommentContext(marker=comment_marker(workdir), workdir=workdir,
                          server_url=ctx.server_url if ctx else "https://github.com",
                          repository=ctx.repository if ctx else None, sha=ctx.head_sha if ctx else None,
                          run_url=ctx.run_url if ctx else None, er_diagram=er_diagram)


def publish_step(report: Report, markdown: str, ctx: GitHubContext, *, workdir: str, comment: str = "on",
                 status_context: str = "pgrelease/gate", options: PublishOptions = PublishOptions()) -> Step:
    """Post (or edit) the comment and set the status; failures are warnings: the verdict
    and the exit code stay the checks'."""
    started = time.perf_counter()
    step = Step("publish")
    passed = report.status == "ok"
    body = None if comment == "off" else scrub(markdown)
    # on-failure: a passing run posts nothing new, but brings an earlier failure comment up to date
    create = not (comment == "on-failure" and passed)
    state = "success" if passed else ("failure" if report.status == "failed" else "error")
    result = publish(ctx, marker=comment_marker(workdir), body=body, status_state=state,
                     status_description=scrub(status_description(report)), status_context=status_context,
                     options=options, create=create)
    step.warnings.extend(f"publishing: {e}" for e in result.errors)
    parts = []
    if result.comment != "skipped":
        parts.append(f"comment {result.comment}")
        if result.comment_url:
            step.data["comment_url"] = result.comment_url
    if result.status != "skipped":
        parts.append(f"status {status_context} {state if result.status == 'set' else 'failed'}")
    if not parts:
        why = "no pull request in the event" if ctx.pr_number is None else "nothing to publish"
        step.skipped = why
    step.summary = ", ".join(parts) or f"skipped: {step.skipped}"
    step.data["publish"] = {"comment": result.comment, "status": result.status}
    step.duration_ms = (time.perf_counter() - started) * 1000
    return step
