"""Checks of optimizer and schedule options: a NaN, an infinity or a negative number is a
ValueError naming the option, raised where the optimizer or schedule is built."""
import math


def check_number(owner, name, value, minimum=0.0, below=None, allow_equal_minimum=True):
    """``value`` must be a finite real number >= minimum (> minimum unless allow_equal_minimum)
    and < below when given."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{owner}: {name} must be a number, got {value!r}") from None
    low_ok = number >= minimum if allow_equal_minimum else number > minimum
    if not math.isfinite(number) or not low_ok or (below is not None and not number < below):
        bounds = f"{'>=' if allow_equal_minimum else '>'} {minimum}" + (f" and < {below}" if below is not None else "")
        raise ValueError(f"{owner}: {name} must be a finite number {bounds}, got {value!r}")
    return number


def check_group(owner, group, rules):
    """Apply ``rules`` {option: (minimum, below)} to the options a parameter group has."""
    for name, (minimum, below) in rules.items():
        if name in group:
            check_number(owner, name, group[name], minimum, below)
    for i, beta in enumerate(group.get("betas", ())):
        check_number(owner, f"betas[{i}]", beta, 0.0, 1.0)
