"""A domain profile: what the engine knows about a kind of document that the documents themselves do not
say (profiles/<name>/*.txt). The engine stays generic; IP policy is the default profile.

Files (all optional, UTF-8, `#` starts a comment line):
    domain_words.txt      words the keyword tokeniser must keep whole, one per line
    unstated.txt          `cue [= evidence …]`: facts such documents rarely carry (see abstain.py)
    foreign.txt           foreign countries and bodies the documents do not cover unless they name them
    foreign_subjects.txt  subjects that, right after a foreign name (美国专利…), make it the question's topic
    synonyms.txt          `colloquial [| colloquial …] = formal …`: wording bridges for search and matching
    contrasts.txt         parallel terms, one set per line (most sets are derived from headings instead)
    examples.txt          example questions for the UI and the widget
    domain.txt            the field's name, one line: the product's title is it + 政策问答 (政策问答 with
                          none), and a word after which a topic phrase of a question may start
    courts.txt            courts of the field named by their kind, not their level (海事法院 for shipping)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_PROFILE_DIR = Path(__file__).resolve().parent.parent / "profiles" / "ip"


class ProfileError(ValueError):
    """A profile file that cannot be read or parsed."""


@dataclass(frozen=True)
class Profile:
    name: str = "empty"
    domain_words: tuple[str, ...] = ()
    unstated: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (cue, evidence words)
    foreign: tuple[str, ...] = ()
    foreign_subjects: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (colloquial, formal words)
    contrasts: tuple[tuple[str, ...], ...] = ()
    examples: tuple[str, ...] = field(default_factory=tuple)
    domain: str = ""
    courts: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The product's display name: the field's name + 政策问答, or 政策问答 for a profile naming none."""
        return f"{self.domain}政策问答"

    def expansions(self, text: str) -> tuple[str, ...]:
        """Formal words for the colloquial phrases the text contains (longest phrases first)."""
        found: list[str] = []
        covered = ""
        for phrase, formal in sorted(self.synonyms, key=lambda s: -len(s[0])):
            if phrase in text and phrase not in covered:
                covered += phrase + "\x00"
                found += [w for w in formal if w not in found]
        return tuple(found)


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read profile file: {exc}") from exc
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def parse_mapping(lines: list[str], source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`a | b = x y` → (("a", ("x", "y")), ("b", ("x", "y"))); a line without `=` maps to itself."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for line in lines:
        left, sep, right = line.partition("=")
        keys = [k.strip() for k in left.split("|") if k.strip()]
        if not keys:
            raise ProfileError(f"{source}: a line has nothing before '=': {line!r}")
        for key in keys:
            values = tuple(right.split()) if sep and right.strip() else (key,)
            out.append((key, values))
    return tuple(out)


def load_profile(directory: Path | None = None) -> Profile:
    root = directory or DEFAULT_PROFILE_DIR
    if not root.is_dir():
        raise ProfileError(f"{root}: profile folder not found (POLICYQA_PROFILE_DIR)")
    return Profile(
        name=root.name,
        domain_words=tuple(w for line in _lines(root / "domain_words.txt") for w in line.split()),
        unstated=parse_mapping(_lines(root / "unstated.txt"), "unstated.txt"),
        foreign=tuple(w for line in _lines(root / "foreign.txt") for w in line.split()),
        foreign_subjects=tuple(w for line in _lines(root / "foreign_subjects.txt") for w in line.split()),
        synonyms=parse_mapping(_lines(root / "synonyms.txt"), "synonyms.txt"),
        contrasts=tuple(
            tuple(line.split()) for line in _lines(root / "contrasts.txt") if len(line.split()) > 1
        ),
        examples=tuple(_lines(root / "examples.txt")),
        domain="".join(_lines(root / "domain.txt")[:1]),
        courts=tuple(w for line in _lines(root / "courts.txt") for w in line.split()),
    )
