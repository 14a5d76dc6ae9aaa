"""``sinir lesson list`` and ``sinir lesson run NAME``: the course's worked examples from the command line."""
import json


def add_parser(commands):
    """Register ``sinir lesson`` on the ``sinir`` command's subparsers."""
    lesson = commands.add_parser("lesson", help="the course's worked examples, replayed and checked")
    lesson.set_defaults(handler=run)
    lesson_commands = lesson.add_subparsers(dest="lesson_command", metavar="ACTION")
    lesson_commands.required = True
    listing = lesson_commands.add_parser("list", help="the lessons")
    listing.add_argument("--json", action="store_true")
    run_one = lesson_commands.add_parser("run", help="run one lesson")
    run_one.add_argument("name")
    run_one.add_argument("--lang", choices=["tr", "en"], help="language (default: from the locale, else English)")
    run_one.add_argument("--json", action="store_true")


def run(args):
    from . import names, title, language, run as run_lesson
    if args.lesson_command == "list":
        lesson_names = names()
        print(json.dumps(lesson_names) if args.json else "\n".join(f"{n:<28}{title(n, language())}"
                                                                   for n in lesson_names))
        return 0
    result = run_lesson(args.name, args.lang)
    print(json.dumps(result.to_json()) if args.json else result.to_text())
    return 0
