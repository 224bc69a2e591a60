"""The argument parser's own words in the user's language: help layout and mistakes.

typer (which carries its own copy of click, without click's gettext hooks) writes
"Usage:", "Options:", "[default: …]", "Show this message and exit." and its messages
("No such command 'x'.", "Missing argument 'project'.", "Invalid value for '--cell':
Input should be a valid number …") in English only. Here they are put in the user's
language from :data:`trygg.texts.FRAMEWORK`:

- :class:`TryggGroup` and :class:`TryggCommand` lay out the help (usage line, section
  headings, the help option, ``[standard: …]``/``[krävs]``, the kinds of value);
- :func:`mistake` re-words a parser exception from what it carries (the parameter, the
  option name, the value pydantic refused, the close matches), not from its English
  text where the exception carries more.

Both take the language from the class (:func:`classes`) or the argument; English
output keeps typer's layout and words, with plain kinds of value and this module's
one-line messages.
"""

from __future__ import annotations

import re

import typer

from trygg.geo.text import number
from trygg.texts import FRAMEWORK, TYPE_NAMES, text

__all__ = ["TryggCommand", "TryggGroup", "classes", "mistake", "see_help"]


def _fw(key: str, lang: str, **fields: object) -> str:
    return text(FRAMEWORK, key, lang, **fields)


# -- help ----------------------------------------------------------------------------------
_EXTRA = re.compile(r"\s\s\[([^\[\]]*)\]$")
_TYPE = re.compile(r"<([^<>]+)>")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _default(value: str, lang: str) -> str:
    """A default as users read numbers in ``lang`` ("200000" → "200 000", "2000.0" →
    "2 000"); anything else as it is."""
    if not _NUMBER.fullmatch(value):
        return value
    return number(float(value) if "." in value else int(value), None, lang=lang)


def _record(name: str, help_text: str, lang: str) -> tuple[str, str]:
    """One row of the options or arguments list in ``lang``: the kind of value in words
    (``<float>`` → ``<tal>``, ``<number>``) and the bracket typer appends (``[default:
    2000.0; required]`` → ``[standard: 2 000; krävs]``, ``[default: 2,000; required]``)."""
    def kind(match: re.Match[str]) -> str:
        names = TYPE_NAMES.get(match.group(1))
        return f"<{names[lang == 'en'] if names else match.group(1)}>"

    name = _TYPE.sub(kind, name)

    def extra(match: re.Match[str]) -> str:
        parts = []
        for part in match.group(1).split("; "):
            if part == "required":
                parts.append(_fw("required", lang))
            elif part.startswith("default: "):
                value = _default(part[len("default: "):], lang)
                parts.append(_fw("default", lang, value=value))
            elif part.startswith("env var: "):
                parts.append(_fw("env_var", lang, value=part[len("env var: "):]))
            else:  # a range such as x>=1
                parts.append(part)
        return "  [" + "; ".join(parts) + "]"

    return name, _EXTRA.sub(extra, help_text)


class _Help:
    """What :class:`TryggGroup` and :class:`TryggCommand` share: the help in :attr:`lang`."""

    lang = "sv"

    def format_usage(self, ctx, formatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces),
                              prefix=_fw("usage", self.lang) + " ")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _fw("help_option", self.lang)
        return option

    def format_params(self, ctx, formatter) -> None:
        """The Arguments and Options sections (typer's, with words in :attr:`lang`)."""
        rows: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is not None and param.param_type_name in rows:
                name, help_text = record
                rows[param.param_type_name].append(_record(name, help_text, self.lang))
        for kind, heading in (("argument", "arguments"), ("option", "options")):
            if rows[kind]:
                with formatter.section(_fw(heading, self.lang)):
                    formatter.write_dl(rows[kind])


class TryggCommand(_Help, typer.core.TyperCommand):
    """A subcommand whose help is in :attr:`lang`."""

    def format_options(self, ctx, formatter) -> None:
        self.format_params(ctx, formatter)


class TryggGroup(_Help, typer.core.TyperGroup):
    """The ``trygg`` group: help in :attr:`lang`, its commands listed by their short help."""

    def format_options(self, ctx, formatter) -> None:
        self.format_params(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter) -> None:
        commands = [(name, cmd) for name in self.list_commands(ctx)
                    if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        with formatter.section(_fw("commands", self.lang)):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])


def classes(lang: str) -> tuple[type[TryggGroup], type[TryggCommand]]:
    """The group and command classes with help in ``lang``."""
    group = type("TryggGroup", (TryggGroup,), {"lang": lang})
    command = type("TryggCommand", (TryggCommand,), {"lang": lang})
    return group, command


# -- mistakes ------------------------------------------------------------------------------
_EXTRA_ARGS = re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)$")
_NO_COMMAND = re.compile(r"^No such command '(?P<name>.*?)'\.(?: Did you mean (?P<close>.*)\?)?$",
                         re.DOTALL)
_NEEDS = re.compile(r"^Option '(?P<name>.*)' requires (?:an argument|(?P<n>\d+) arguments)\.$")
_NO_VALUE = re.compile(r"^Option '(?P<name>.*)' does not take a value\.$")
_QUOTED = re.compile(r"'([^']*)'")


def _names(names: list[str], lang: str) -> str:
    """``["a", "b", "c"]`` → ``"a, b eller c"``."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_fw('or', lang)} {names[-1]}"


def _param_name(param, lang: str) -> str:
    """How the parameter is written on the command line: ``--cell`` or ``PROJEKT``."""
    if param is None:
        return "?"
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)
    return param.metavar or str(param.name).upper()


def _reason(exc: BaseException, lang: str) -> str:
    """Why a value was refused, from the pydantic error behind typer's BadParameter."""
    read_errors = getattr(exc.__cause__, "errors", None)
    errors = read_errors(include_url=False) if callable(read_errors) else []
    if not errors:
        return _fw("not_valid", lang, value=getattr(exc, "message", ""))
    error = errors[0]
    kind, value, ctx = error.get("type", ""), error.get("input", ""), error.get("ctx") or {}
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _fw("not_int", lang, value=value)
    if kind in ("float_parsing", "float_type", "finite_number"):
        return _fw("not_float", lang, value=value)
    if kind in ("bool_parsing", "bool_type"):
        return _fw("not_bool", lang, value=value)
    for code, key in (("greater_than_equal", "ge"), ("greater_than", "gt"),
                      ("less_than_equal", "le"), ("less_than", "lt")):
        if kind == code:
            return _fw(key, lang, limit=next(iter(ctx.values()), "?"), value=value)
    if kind in ("enum", "literal_error"):
        choices = _QUOTED.findall(str(ctx.get("expected", "")))
        return _fw("not_choice", lang, value=value, choices=_names(choices, lang))
    return _fw("not_valid", lang, value=value)


def mistake(exc: BaseException, lang: str = "sv") -> str:
    """The one-line message for a parser exception (typer's UsageError family), in
    ``lang``, without the pointer to the help (see :func:`see_help`)."""
    kinds = {c.__name__ for c in type(exc).__mro__}
    message = str(getattr(exc, "message", "") or "")
    if "NoSuchOption" in kinds:
        name = getattr(exc, "option_name", "?")
        close = sorted(p for p in getattr(exc, "possibilities", None) or [] if p != "--help")
        hint = (" " + _fw("did_you_mean", lang, names=_names(close, lang))) if close else ""
        return _fw("no_such_option", lang, name=name) + hint
    if "MissingParameter" in kinds:
        param = getattr(exc, "param", None)
        name = _param_name(param, lang)
        key = "missing_option" if getattr(param, "param_type_name", "") == "option" \
            else "missing_argument"
        return _fw(key, lang, name=name)
    if "BadParameter" in kinds:
        name = _param_name(getattr(exc, "param", None), lang)
        return _fw("bad_value", lang, name=name, reason=_reason(exc, lang))
    if match := _NEEDS.match(message):
        if match["n"]:
            return _fw("needs_values", lang, name=match["name"], n=match["n"])
        return _fw("needs_value", lang, name=match["name"])
    if match := _NO_VALUE.match(message):
        return _fw("takes_no_value", lang, name=match["name"])
    if match := _EXTRA_ARGS.match(message):
        args = match["args"]
        key = "extra_arguments" if " " in args.strip() else "extra_argument"
        return _fw(key, lang, args=args)
    if match := _NO_COMMAND.match(message):
        line = _fw("no_such_command", lang, name=match["name"])
        if match["close"]:
            close = _QUOTED.findall(match["close"])
            line += " " + _fw("did_you_mean", lang, names=_names(close, lang))
        return line
    return _fw("unparsed", lang, detail=" ".join(message.split()) or type(exc).__name__)


def see_help(command: str, lang: str = "sv") -> str:
    """``"Se trygg init --help."``: where to read how ``command`` is written."""
    return _fw("see_help", lang, command=command)
