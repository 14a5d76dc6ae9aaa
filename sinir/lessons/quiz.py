"""``sinir lesson run NAME --quiz``: the learner types each value before it is shown.

An answer is accepted within the document's rounding: half a unit of the last digit the document
printed for that number (0.938 accepts 0.9375 .. 0.9385 around sinir's value), or, where the
document prints no number, three significant digits. A decimal comma is read as a point.
At the end, the score.
"""
import sys

import numpy as np

from .base import _flat, _plain, parse_printed, value_line, verdict_summary

WORDS = {
    "en": {"prompt": "  value {index}/{count}? ", "right": "  right", "wrong": "  not quite: {value}",
           "skipped": "  skipped: {value}", "unreadable": "  not a number ({text!r}): {value}",
           "score": "Score: {right} of {total} values", "intro": "Type each value sinir computes (Enter skips, "
           "Ctrl-D stops); it is accepted within the document's rounding.", "stopped": "(stopped)"},
    "tr": {"prompt": "  değer {index}/{count}? ", "right": "  doğru", "wrong": "  tam değil: {value}",
           "skipped": "  geçildi: {value}", "unreadable": "  sayı değil ({text!r}): {value}",
           "score": "Puan: {total} değerin {right} tanesi doğru", "intro": "sinir'in hesapladığı her değeri yazın "
           "(Enter geçer, Ctrl-D bitirir); belgenin yuvarlaması içinde kabul edilir.", "stopped": "(bitti)"},
}


def tolerance(step, index, value):
    """How far an answer may be from sinir's value: the printed number's half unit, else 3 digits."""
    if step.slide_value is not None:
        printed, decimals, approximate = parse_printed(_flat(step.slide_value)[index])
        half = 0.5 * 10.0 ** -decimals
        return max(half, 0.5 * 10.0 ** (len(str(int(abs(printed)))) - 1)) if approximate else half
    if value == 0:
        return 1e-9
    return 0.5 * 10.0 ** (np.floor(np.log10(abs(value))) - 2)


def read_number(text):
    return float(text.strip().replace(",", "."))


def run_quiz(lesson, lang, stdin=None, stdout=None):
    """Ask every value of every step; returns (right, total)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    words = WORDS[lang]
    say = lambda text="": print(text, file=stdout, flush=True)
    say(lesson.title(lang))
    say(words["intro"])
    right = total = 0
    for number, step in enumerate(lesson.steps, 1):
        values = [float(v) for v in _flat(_plain(step.computed))]
        say(f"\n{number:2d}. {step.description(lang)}")
        for index, value in enumerate(values):
            print(words["prompt"].format(index=index + 1, count=len(values)), end="", file=stdout, flush=True)
            line = stdin.readline()
            if not line:
                say(f"\n{words['stopped']}")
                say(words["score"].format(right=right, total=total))
                return right, total
            total += 1
            shown = f"{value:.6g}".replace(".", ",") if lang == "tr" else f"{value:.6g}"
            if not line.strip():
                say(words["skipped"].format(value=shown))
                continue
            try:
                answer = read_number(line)
            except ValueError:
                say(words["unreadable"].format(text=line.strip(), value=shown))
                continue
            if abs(answer - value) <= tolerance(step, index, value) * (1 + 1e-9):
                right += 1
                say(words["right"])
            else:
                say(words["wrong"].format(value=shown))
        say("    " + value_line(step, lang) + f"   [{verdict_summary(step, lang)}]")
        if step.explanation(lang):
            say(f"    {step.explanation(lang)}")
    say("\n" + words["score"].format(right=right, total=total))
    return right, total
