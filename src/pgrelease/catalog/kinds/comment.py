"""COMMENT ON any object the catalog reads; set, changed, or set to NULL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..base import Attrs, CatalogObject, Kind, OnAnObject, Plan, Statement, literal


@dataclass(frozen=True)
class Comment(OnAnObject, CatalogObject):
    KIND: ClassVar[str] = "comment"
    COMPARE: ClassVar[tuple[str, ...]] = ("text",)
    object_type: str
    object_name: str
    target: str  # as COMMENT ON spells it: "TABLE public.posts", "CONSTRAINT c ON public.t"
    table: str | None
    text: str

    @property
    def identity(self) -> str:
        return f"{self.object_type} {self.object_name}"


class CommentKind(Kind):
    name = "comment"
    rank = 210
    model = Comment
    queries = ("comments",)
    destructive_remove = False
    renames = False
    summary = ("text",)
    drop_rank, create_rank = 130, 170

    def create(self, obj: Comment, plan: Plan) -> list[Statement]:
        return [Statement(f"COMMENT ON {obj.target} IS {literal(obj.text)}")]

    def alter(self, old: Comment, new: Comment, attrs: Attrs, plan: Plan) -> list[Statement]:
        return self.create(new, plan)

    def drop(self, obj: Comment, plan: Plan) -> list[Statement]:
        if obj.key in plan.create:
            return []  # rebuilt with its object: set again from b
        return [Statement(f"COMMENT ON {obj.target} IS NULL")]


KIND = CommentKind()
