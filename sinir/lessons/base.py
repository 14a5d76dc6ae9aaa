"""What a lesson is: steps that each put a number the document printed beside the number sinir
computes, with a verdict and, where they differ, why.

Printed numbers are given as text ("0.938"), so that the verdict knows how many decimals the
document showed: 0.9388 agrees with "0.938" after rounding or truncation, 0.9821 does not agree
with "0.97". Every disagreement must carry an explanation (rounding, another convention, or an
arithmetic slip, and what the right value is); a lesson without one fails to build.
"""
import locale
import os
from dataclasses import dataclass, field

import numpy as np

LANGUAGES = ("en", "tr")


def language(choice=None):
    """'tr' or 'en': the choice, else from the locale ($LANG / $LC_ALL), else English."""
    if choice in LANGUAGES:
        return choice
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value:
            return "tr" if value.lower().startswith("tr") else "en"
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "tr" if code.lower().startswith("tr") else "en"


@dataclass
class Text:
    """The same sentence in English and Turkish."""
    en: str
    tr: str

    def __call__(self, lang):
        return self.tr if lang == "tr" else self.en


def _numbers(value):
    """A printed value ("0.938", ["1", "2"]) -> (float array, decimals array)."""
    items = np.atleast_1d(np.asarray(value, dtype=object)).ravel()
    numbers = np.array([float(str(v)) for v in items])
    decimals = np.array([len(str(v).split(".")[1]) if "." in str(v) else 0 for v in items])
    return numbers, decimals


def compare(printed, computed):
    """(agrees, how): each printed number must equal sinir's, or be it rounded or truncated to the
    printed decimals; how is the loosest of 'exact', 'rounded', 'truncated' needed, or None."""
    slide, decimals = _numbers(printed)
    value = np.atleast_1d(np.asarray(computed, dtype=np.float64)).ravel()
    if slide.shape != value.shape:
        return False, None
    tiny = 1e-9 * np.maximum(np.abs(slide), 1)
    exact = np.abs(slide - value) <= tiny
    rounded = np.abs(slide - value) <= 0.5 * 10.0 ** -decimals + tiny
    scale = 10.0 ** decimals
    truncated = np.abs(np.trunc(value * scale) / scale - slide) <= tiny
    if not np.all(exact | rounded | truncated):
        return False, None
    if np.all(exact):
        return True, "exact"
    return True, "rounded" if np.all(exact | rounded) else "truncated"


HOW = {
    "exact": Text("agrees", "uyuşuyor"),
    "rounded": Text("agrees after rounding to the printed decimals", "yazılan basamaklara yuvarlayınca uyuşuyor"),
    "truncated": Text("agrees when the slide's truncation (not rounding) to the printed decimals is allowed",
                      "slaytın yazılan basamaklarda kesmesi (yuvarlamaması) kabul edilince uyuşuyor"),
}


def _plain(value):
    """Numbers and lists of numbers for JSON and printing."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return float(array)
    return array.tolist()


@dataclass
class Step:
    id: str
    description: Text
    slide_value: object            # as printed (text), or None when the document prints no number
    computed: object               # what sinir computes
    agrees: object                 # True, False, or None when there is nothing printed to compare
    explanation: Text

    def to_json(self, lang):
        printed = None
        if self.slide_value is not None:
            numbers, _ = _numbers(self.slide_value)
            printed = float(numbers[0]) if np.ndim(self.slide_value) == 0 else numbers.tolist()
        return {"id": self.id, "description": self.description(lang), "slide_value": printed,
                "computed": _plain(self.computed), "agrees": self.agrees, "explanation": self.explanation(lang)}


@dataclass
class Lesson:
    """A worked example of the course, rebuilt with sinir and checked step by step."""
    name: str
    title: Text
    source: Text
    steps: list = field(default_factory=list)

    def check(self, id, description, printed, computed, why=None):
        """A step with a printed number: ``why`` (a Text) is required where they disagree, and
        may add a remark where they agree."""
        agrees, how = compare(printed, computed)
        if not agrees and why is None:
            raise AssertionError(f"lesson {self.name}, step {id}: the document prints {printed} but sinir "
                                 f"computes {_plain(computed)}, and the lesson does not say why")
        explanation = why if why is not None else HOW[how]
        if agrees and why is not None:
            explanation = Text(f"{HOW[how].en}; {why.en}", f"{HOW[how].tr}; {why.tr}")
        self.steps.append(Step(id, description, printed, computed, agrees, explanation))
        return computed

    def show(self, id, description, computed, why):
        """A step the document states without a number (a rule, a shape): sinir's value and a remark."""
        self.steps.append(Step(id, description, None, computed, None, why))
        return computed


@dataclass
class Result:
    """A lesson rendered in one language."""
    lesson: Lesson
    lang: str

    def to_json(self):
        return {"lesson": self.lesson.name, "title": self.lesson.title(self.lang), "language": self.lang,
                "steps": [step.to_json(self.lang) for step in self.lesson.steps]}

    def to_text(self):
        lang = self.lang
        words = {"en": ("document", "sinir", "agrees", "DIFFERS", "no number printed"),
                 "tr": ("belge", "sinir", "uyuşuyor", "FARKLI", "sayı yazılmamış")}[lang]
        lines = [self.lesson.title(lang), self.lesson.source(lang), ""]
        for number, step in enumerate(self.lesson.steps, 1):
            data = step.to_json(lang)
            verdict = words[4] if step.agrees is None else (words[2] if step.agrees else words[3])
            lines.append(f"{number:2d}. {data['description']}")
            printed = "-" if step.slide_value is None else _format(step.slide_value)
            lines.append(f"    {words[0]}: {printed}   {words[1]}: {_format(data['computed'])}   [{verdict}]")
            lines.append(f"    {data['explanation']}")
        return "\n".join(lines)


def _format(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_format(v) for v in value) + "]"
    if isinstance(value, str):
        return value
    value = float(value)
    return f"{value:.6g}" if value != int(value) or abs(value) >= 1e6 else str(int(value))
