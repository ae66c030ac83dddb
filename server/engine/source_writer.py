"""Writing indented Python source line by line, with the objects it names bound as constants."""

from __future__ import annotations

from typing import Any


class SourceWriter:
    """Lines at the current depth; `constants` binds each object the source names (`_band3`)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0
        self.constants: dict[str, Any] = {}

    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    def block(self, head: str) -> Indent:
        """`with writer.block("if x:"):` writes the head and indents what follows."""
        self.line(head)
        return Indent(self)

    def const(self, prefix: str, value: Any) -> str:
        """A new name for `value` in the namespace the source runs in."""
        name = f"_{prefix}{len(self.constants)}"
        self.constants[name] = value
        return name

    def source(self) -> str:
        return "\n".join(self.lines) + "\n"


class Indent:
    """Indents the writer by `step` levels while open (0: a block that is not one)."""

    def __init__(self, writer: SourceWriter, step: int = 1):
        self.writer = writer
        self.step = step

    def __enter__(self) -> None:
        self.writer.depth += self.step

    def __exit__(self, *exc: object) -> None:
        self.writer.depth -= self.step
