"""``sinir lesson list`` and ``sinir lesson run NAME``: the course's worked examples from the command line."""
import json
import sys

MESSAGES = {
    "en": {"unknown": "unknown lesson {name!r}; the lessons are: {names}",
           "no_pictures": "this worked example has no pictures; the lessons with pictures are: {names}",
           "pictures": "pictures: {paths}",
           "missing": "the pictures need {what}"},
    "tr": {"unknown": "{name!r} adında bir çözümlü örnek yok; çözümlü örnekler: {names}",
           "no_pictures": "bu çözümlü örneğin resmi yok; resmi olanlar: {names}",
           "pictures": "resimler: {paths}",
           "missing": "resimler için {what} gerekiyor"},
}
DOT = {"en": "Graphviz's 'dot' program (apt install graphviz, brew install graphviz)",
       "tr": "Graphviz'in 'dot' programı (apt install graphviz, brew install graphviz)"}
WITH_PICTURES = ("forum-graph", "descent-tables", "backprop-3333")


def add_parser(commands):
    """Register ``sinir lesson`` on the ``sinir`` command's subparsers."""
    lesson = commands.add_parser("lesson", help="the course's worked examples, replayed and checked")
    lesson.set_defaults(handler=run)
    lesson_commands = lesson.add_subparsers(dest="lesson_command", metavar="ACTION")
    lesson_commands.required = True
    listing = lesson_commands.add_parser("list", help="the worked examples")
    listing.add_argument("--lang", choices=["tr", "en"], help="language (default: from the locale, else English)")
    listing.add_argument("--json", action="store_true")
    run_one = lesson_commands.add_parser("run", help="run one worked example")
    run_one.add_argument("name")
    run_one.add_argument("--lang", choices=["tr", "en"], help="language (default: from the locale, else English)")
    mode = run_one.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="one JSON object: every step with its verdict")
    mode.add_argument("--quiz", action="store_true", help="type each value before it is shown; a score at the end")
    run_one.add_argument("--plot", metavar="DIR", help="also draw the example's pictures into DIR (SVG and PNG)")


def _error(lang, key, **values):
    print(f"sinir lesson: {'hata' if lang == 'tr' else 'error'}: {MESSAGES[lang][key].format(**values)}",
          file=sys.stderr)
    return 2


def run(args):
    from . import build, language, names, title
    from .base import Result
    from .quiz import run_quiz
    lang = language(args.lang)
    if args.lesson_command == "list":
        lesson_names = names()
        if args.json:
            print(json.dumps(lesson_names))
        else:
            print("\n".join(f"{n:<22}{title(n, lang)}" for n in lesson_names))
        return 0
    if args.name not in names():
        return _error(lang, "unknown", name=args.name, names=", ".join(names()))
    lesson = build(args.name)
    if args.quiz:
        run_quiz(lesson, lang)
    elif args.json:
        print(json.dumps(Result(lesson, lang).to_json(), ensure_ascii=False))
    else:
        print(Result(lesson, lang).to_text())
    if args.plot:
        if not lesson.figures:
            return _error(lang, "no_pictures", names=", ".join(WITH_PICTURES))
        try:
            paths = [path for draw in lesson.figures.values() for path in draw(args.plot, lang)]
        except ModuleNotFoundError as error:
            return _error(lang, "missing", what=str(error).split(": ")[-1])
        except RuntimeError:
            return _error(lang, "missing", what=DOT[lang])
        print(MESSAGES[lang]["pictures"].format(paths=", ".join(str(p) for p in paths)),
              file=sys.stderr if args.json else sys.stdout)
    return 0
