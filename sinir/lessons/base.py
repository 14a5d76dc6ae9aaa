"""What a lesson is: steps that each put a number the document printed beside the number sinir
computes, with a verdict from a small fixed set and, where they differ, why.

The verdicts (docs/lessons.md explains each with an example):

    agrees            the printed number is sinir's, to every printed digit
    agrees-rounded    it is sinir's once the document's own rounding is applied: rounded or
                      truncated to the printed decimals, or computed from numbers the document
                      had already rounded (carried rounding)
    approximate       an approximate claim ("yaklaşık 60", "~60", "about 60") that holds to the
                      precision it states
    slip              an arithmetic or copying error (with its likely cause where the numbers show one)
    method-differs    the arithmetic is right but the method is not (a dropped term, a wrong sign
                      in a formula, a sum where a product belongs)
    not-in-document   the document prints no number here: an example the lesson chose, or a value
                      the document leaves out; there is nothing of the document's to agree with

Printed numbers are given as text ("0.938"), so that the verdict knows how many decimals the
document showed: 0.9388 agrees with "0.938" after truncation, 0.9821 does not agree with "0.97".
A step whose value is a vector or a matrix has one verdict per element, since one slide row can
hold right and wrong numbers side by side. A step that does not agree must say why, and what
it calls a slip must really disagree: a lesson that breaks either rule fails to build.
"""
import locale
import os
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

LANGUAGES = ("en", "tr")

AGREES, ROUNDED, APPROXIMATE = "agrees", "agrees-rounded", "approximate"
SLIP, METHOD, NOT_IN_DOCUMENT = "slip", "method-differs", "not-in-document"
VERDICTS = (AGREES, ROUNDED, APPROXIMATE, SLIP, METHOD, NOT_IN_DOCUMENT)


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

    def __add__(self, other):
        return Text(self.en + other.en, self.tr + other.tr)


LABELS = {
    AGREES: Text("agrees", "uyuşuyor"),
    ROUNDED: Text("within the document's rounding", "belgenin yuvarlaması içinde"),
    APPROXIMATE: Text("approximate claim holds", "yaklaşık ifade doğru"),
    SLIP: Text("slip", "hesap ya da aktarma hatası"),
    METHOD: Text("method differs", "yöntem farklı"),
    NOT_IN_DOCUMENT: Text("not in the document", "kaynakta yok"),
}

_APPROXIMATE = re.compile(r"^\s*(~|≈|yaklaşık\s+|about\s+|approximately\s+|approx\.?\s+)", re.IGNORECASE)


def parse_printed(text):
    """One printed number -> (value, decimals, approximate): "0.938" -> (0.938, 3, False),
    "~60" or "yaklaşık 60" -> (60.0, 0, True). A decimal comma ("0,938") is read as a point."""
    text = str(text)
    approximate = bool(_APPROXIMATE.match(text))
    number = _APPROXIMATE.sub("", text).strip().replace(",", ".")
    value = float(number)
    decimals = len(number.split(".")[1]) if "." in number else 0
    return value, decimals, approximate


def _precision(value, decimals, approximate):
    """Half a unit of the last digit the document states. For an approximate whole number the
    last non-zero digit counts: "about 60" is stated to the ten (55 to 65), "about 138" to the one."""
    unit = 10.0 ** -decimals
    if approximate and decimals == 0 and value != 0:
        digits = str(int(abs(value)))
        unit = 10.0 ** (len(digits) - len(digits.rstrip("0")))
    return 0.5 * unit


def _compare_one(text, value, significant=None):
    """(agrees, verdict) for one printed number against one computed number; ``significant`` is
    the document's working precision where it prints more digits than it carries."""
    printed, decimals, approximate = parse_printed(text)
    tiny = 1e-9 * max(abs(printed), 1.0)
    difference = abs(printed - value)
    if difference <= tiny:
        return True, APPROXIMATE if approximate else AGREES
    precision = _precision(printed, decimals, approximate)
    if significant and printed != 0:
        precision = max(precision, 0.5 * 10.0 ** (np.floor(np.log10(abs(printed))) - significant + 1))
    if difference <= precision + tiny:
        return True, APPROXIMATE if approximate else ROUNDED
    scale = 10.0 ** decimals
    # (a hair towards the larger magnitude, so that 0.8999999999999999 truncates to 0.9, not 0.89)
    if not approximate and abs(np.trunc(value * scale * (1 + 1e-12)) / scale - printed) <= tiny:
        return True, ROUNDED                     # the document truncates instead of rounding
    return False, None


def _flat(value):
    return list(np.asarray(value, dtype=object).ravel())


def compare_each(printed, computed, significant=None):
    """Per element: (agrees list, verdict list); the verdict is None where they disagree."""
    texts = _flat(printed)
    values = np.atleast_1d(np.asarray(computed, dtype=np.float64)).ravel()
    if len(texts) != len(values):
        raise ValueError(f"compare: the document prints {len(texts)} numbers but {len(values)} were computed")
    pairs = [_compare_one(t, float(v), significant) for t, v in zip(texts, values)]
    return [bool(p[0]) for p in pairs], [p[1] for p in pairs]


def compare(printed, computed):
    """(agrees, verdict) for a whole printed value: agrees when every element does; the verdict is
    the loosest needed ('agrees', 'agrees-rounded' or 'approximate'), or None.

    >>> compare("0.938", 0.93884)
    (True, 'agrees-rounded')
    >>> compare("yaklaşık 60", 61.1)
    (True, 'approximate')
    """
    agrees, verdicts = compare_each(printed, computed)
    if not all(agrees):
        return False, None
    for loosest in (APPROXIMATE, ROUNDED):
        if loosest in verdicts:
            return True, loosest
    return True, AGREES


def _plain(value):
    """Numbers and (nested) lists of numbers for JSON and printing."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return float(array)
    return array.tolist()


def _shaped(items, like):
    """A flat list reshaped to the nesting of ``like`` (a printed value); a scalar stays a scalar."""
    shape = np.shape(np.asarray(like, dtype=object))
    if shape == ():
        return items[0]
    return np.asarray(items, dtype=object).reshape(shape).tolist()


@dataclass
class Step:
    id: str
    description: Text
    slide_value: object            # as printed (text), or None when the document prints no number
    computed: object               # what sinir computes
    agrees: object                 # bool (a list for a vector), or None when nothing is printed
    verdict: object                # one of VERDICTS (a list for a vector)
    explanation: Text
    by_hand: object = None         # for the lesson's own examples: the slide's formula worked by hand

    def verdicts(self):
        """The verdicts of the elements, as a flat list."""
        return _flat(self.verdict) if isinstance(self.verdict, list) else [self.verdict]

    def to_json(self, lang):
        printed = None
        if self.slide_value is not None:
            printed = _shaped([parse_printed(t)[0] for t in _flat(self.slide_value)], self.slide_value)
        data = {"id": self.id, "description": self.description(lang), "slide_value": printed,
                "computed": _plain(self.computed), "agrees": self.agrees, "verdict": self.verdict,
                "explanation": self.explanation(lang)}
        if self.by_hand is not None:
            data["by_hand"] = _plain(self.by_hand)
        return data


@dataclass
class Lesson:
    """A worked example of the course, rebuilt with sinir and checked step by step."""
    name: str
    title: Text
    source: Text
    steps: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)     # file stem -> function(folder, lang) -> [paths]

    def check(self, id, description, printed, computed, why=None, kind=None, carried=None, significant=None):
        """A step with a printed number.

        kind says what a disagreement is: "slip" or "method" (for every element, or a list with
        one entry per element, None where the element must agree). "method" also marks numbers
        that agree but come from a wrong method. ``carried`` is the value computed from numbers
        the document had already rounded: an element that matches it has the verdict
        'agrees-rounded' (carried rounding). ``significant``: the document's working precision in
        significant digits, where it prints more digits than it carries. ``why`` (a Text) is
        required unless every element simply agrees.
        """
        agrees, verdicts = compare_each(printed, computed, significant)
        kinds = _flat(kind) if isinstance(kind, (list, tuple, np.ndarray)) else [kind] * len(agrees)
        if len(kinds) != len(agrees):
            raise ValueError(f"lesson {self.name}, step {id}: {len(kinds)} kinds for {len(agrees)} numbers")
        carried_ok = compare_each(printed, carried, significant)[0] if carried is not None else [False] * len(agrees)
        final, from_carried = [], False
        for index, (ok, verdict, what, by_rounding) in enumerate(zip(agrees, verdicts, kinds, carried_ok)):
            where = f"lesson {self.name}, step {id}, number {index + 1} ({_flat(printed)[index]})"
            if what == "method":
                final.append(METHOD)
            elif what == "slip":
                if ok or by_rounding:
                    raise AssertionError(f"{where}: called a slip, but it agrees with sinir's "
                                         f"{_flat(_plain(computed))[index]}")
                final.append(SLIP)
            elif what is not None:
                raise ValueError(f"{where}: kind must be None, 'slip' or 'method', got {what!r}")
            elif ok:
                final.append(verdict)
            elif by_rounding:
                final.append(ROUNDED)
                from_carried = True
            else:
                raise AssertionError(f"{where}: the document prints {_flat(printed)[index]} but sinir computes "
                                     f"{_flat(_plain(computed))[index]}, and the lesson does not say why")
        if why is None and (set(final) - {AGREES, ROUNDED, APPROXIMATE} or from_carried):
            raise AssertionError(f"lesson {self.name}, step {id}: the verdicts {sorted(set(final))} need an "
                                 f"explanation, and the lesson does not say why")
        explanation = why if why is not None else _automatic(final)
        vector = np.ndim(np.asarray(printed, dtype=object)) > 0
        self.steps.append(Step(id, description, printed, computed,
                               _shaped(agrees, printed) if vector else agrees[0],
                               _shaped(final, printed) if vector else final[0], explanation))
        return computed

    def show(self, id, description, computed, why):
        """A value the document does not print (a rule it states, a number it leaves out, a
        picture): sinir's value and a remark. The verdict is 'not-in-document'."""
        self.steps.append(Step(id, description, None, computed, None, NOT_IN_DOCUMENT, why))
        return computed

    def example(self, id, description, by_hand, computed, why):
        """An example the lesson chose to try the document's formula: the formula worked by hand
        (plain arithmetic) beside sinir's result; they must be equal. The verdict is 'not-in-document'."""
        if not np.allclose(np.asarray(by_hand, dtype=np.float64), np.asarray(computed, dtype=np.float64),
                           rtol=1e-9, atol=1e-12):
            raise AssertionError(f"lesson {self.name}, example {id}: by hand {_plain(by_hand)}, "
                                 f"sinir {_plain(computed)}")
        self.steps.append(Step(id, description, None, computed, None, NOT_IN_DOCUMENT, why, by_hand))
        return computed

    def figure(self, stem, draw):
        """Register a picture for ``sinir lesson run NAME --plot DIR``: draw(folder, lang) -> [paths]."""
        self.figures[stem] = draw


def _automatic(verdicts):
    if ROUNDED in verdicts:
        return Text("the document rounds or truncates to the digits it prints",
                    "belge yazdığı basamaklara yuvarlıyor ya da kesiyor")
    if APPROXIMATE in verdicts:
        return Text("within the precision the claim states", "ifadenin belirttiği duyarlılık içinde")
    return Text("", "")


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
        lines = [self.lesson.title(lang), self.lesson.source(lang), ""]
        for number, step in enumerate(self.lesson.steps, 1):
            lines.append(f"{number:2d}. {step.description(lang)}")
            lines.append("    " + value_line(step, lang) + f"   [{verdict_summary(step, lang)}]")
            explanation = step.explanation(lang)
            if explanation:
                lines.append(f"    {explanation}")
        return "\n".join(lines)


WORDS = {"en": {"document": "document", "sinir": "sinir", "by_hand": "by hand"},
         "tr": {"document": "belge", "sinir": "sinir", "by_hand": "elle"}}


def value_line(step, lang):
    """'document: ...   sinir: ...' (or 'by hand: ...' for the lesson's own examples)."""
    words = WORDS[lang]
    computed = format_number(_plain(step.computed), lang)
    if step.slide_value is not None:
        return f"{words['document']}: {format_number(step.slide_value, lang)}   {words['sinir']}: {computed}"
    if step.by_hand is not None:
        return f"{words['by_hand']}: {format_number(_plain(step.by_hand), lang)}   {words['sinir']}: {computed}"
    return f"{words['sinir']}: {computed}"


def verdict_summary(step, lang):
    """The verdict once; for a vector whose elements differ, each verdict with its count."""
    counts = Counter(step.verdicts())
    if len(counts) == 1:
        return LABELS[next(iter(counts))](lang)
    return ", ".join(f"{count} × {LABELS[verdict](lang)}" for verdict, count in
                     sorted(counts.items(), key=lambda item: VERDICTS.index(item[0])))


def format_number(value, lang="en"):
    """A number (or nested list) as a student reads it; Turkish uses the decimal comma and the
    thousands point (6.000; 0,938)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ("; " if lang == "tr" else ", ").join(format_number(v, lang) for v in value) + "]"
    if isinstance(value, str):                       # a printed number: keep its digits, format like the rest
        number, decimals, approximate = parse_printed(value)
        marker = _APPROXIMATE.match(value).group(0) if approximate else ""
        text = f"{number:,.{decimals}f}"
        if lang == "tr":
            text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
        return marker + text
    value = float(value)
    if abs(value) < 1e-12:
        value = 0.0                  # rounding noise such as 4e-14 is shown as the 0 it is
    if value == int(value) and abs(value) < 1e15:
        text = f"{int(value):,}"
    else:
        text = f"{value:.6g}"
    if lang == "tr":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def number(value, lang, digits=4):
    """A number for an explanation, rounded to ``digits`` significant digits, in the language's format."""
    return format_number(float(f"{value:.{digits}g}"), lang)


def numbers(values, lang, digits=4):
    """Several numbers for an explanation: "0.1986, 0.2856" (English), "0,1986; 0,2856" (Turkish)."""
    return ("; " if lang == "tr" else ", ").join(number(v, lang, digits) for v in np.ravel(values))


def says(en, tr, digits=4, **values):
    """A Text whose {names} are numbers formatted for each language:
    says("exact: {x}", "tam: {x}", x=[0.1986, 0.2856]) -> "exact: 0.1986, 0.2856" / "tam: 0,1986; 0,2856"."""
    return Text(en.format(**{k: numbers(v, "en", digits) for k, v in values.items()}),
                tr.format(**{k: numbers(v, "tr", digits) for k, v in values.items()}))
