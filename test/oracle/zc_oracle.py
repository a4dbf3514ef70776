#!/usr/bin/python3
"""Resolve a buildout.cfg with the real zc.buildout and print every section.

Usage (run from the buildout's folder, like `buildout`):

    /usr/bin/python3 zc_oracle.py [-c FILE] [section:]option[+|-]=value ...

Prints {"sections": {NAME: {OPTION: VALUE}}} with every value substituted.

Debian ships zc.buildout 2.13.2; the project follows zc.buildout 6 (see
../../../shared spec and README.md next to this file). The functions whose
behaviour changed between the two are replaced below by small
reimplementations of the 6 behaviour; README.md lists each difference.
Recipes are never loaded and nothing is downloaded.
"""

import collections
import collections.abc
import contextlib
import copy
import json
import os
import re
import sys
import textwrap

# zc.buildout 2.13 imports MutableMapping from `collections` (gone in 3.10).
collections.MutableMapping = collections.abc.MutableMapping

import zc.buildout  # noqa: E402
import zc.buildout.buildout as zb  # noqa: E402

try:
    from packaging.markers import InvalidMarker, Marker
except ImportError:  # Debian: packaging only as vendored by setuptools
    from pkg_resources.extern.packaging.markers import InvalidMarker, Marker

SectionKey = zb.SectionKey

# The [buildout] options the spec defines as defaults; 2.13 has many more.
SPEC_DEFAULTS = {
    'directory', 'bin-directory', 'parts-directory', 'eggs-directory', 'installed',
    'log-level', 'offline', 'newest',
}


# ---------------------------------------------------------------------------
# Parser (zc.buildout 6 configparser semantics)
# ---------------------------------------------------------------------------

HEADER = re.compile(
    r'\[\s*(?P<name>[^\s#[\]:;{}]+)\s*(?::(?P<condition>[^#;]*))?\s*\]\s*([#;].*)?$')
OPTION = re.compile(r'(?P<name>[^\s{}[\]=:]+\s*[-+]?)=(?P<value>.*)$')
ALIAS = re.compile(r'\$<([-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+)>')


class ParseError(zc.buildout.UserError):
    pass


def canonical_key(name):
    """`x+`, `x +` -> `x +` (6 cuts the operator with k[:-2]; do it right)."""
    name = name.rstrip()
    if name.endswith(('+', '-')):
        return name[:-1].rstrip() + ' ' + name[-1]
    return name


def with_alias(value):
    """`$<s:o>` is the spec's alias of `${s:o}`; `$$` still protects."""
    return '$$'.join(ALIAS.sub(r'${\1}', piece) for piece in value.split('$$'))


_condition_globals = None


def condition_globals():
    global _condition_globals
    if _condition_globals is None:
        _condition_globals = zb._default_globals()
        # 6 knows the newer minor versions too.
        running = ''.join(map(str, sys.version_info[:2]))
        for minor in range(7, 16):
            _condition_globals['python3%d' % minor] = running == '3%d' % minor
    return _condition_globals


def evaluate_condition(expression):
    expression = expression.replace(r'\x23', '#').replace(r'\x3b', ';')
    try:
        return bool(Marker(expression).evaluate())
    except InvalidMarker:
        return bool(eval('[' + expression + ']', dict(condition_globals()))[0])


def add_option(section, key, value):
    """One option line; repeated `x +=`/`x -=` in a section accumulate (6)."""
    if key in section and key[-1] in '+-':
        section[key] = section[key].rstrip()
        if value:
            section[key] = section[key] + '\n' + value
        return
    if key[-1] not in '+-':
        section.pop(key + ' +', None)
        section.pop(key + ' -', None)
    section[key] = value


def parse(text, filename):
    sections = {}
    section = None      # the dict options go to
    active = True       # False inside a section whose condition is false
    option = None       # the option continuation lines extend
    block = False
    bad_lines = []
    # Universal newlines, as Python's text files read them (CRLF included).
    for number, line in enumerate(re.split(r'\r\n|\r|\n', text), 1):
        if line[:1] in ('#', ';'):
            continue
        indented = line == '' or line[0].isspace()
        if indented and option is not None:
            if not active:
                continue
            if block:
                section[option] += '\n' + line.rstrip()
            elif line.strip():
                section[option] += '\n' + line.strip()
            continue
        header = HEADER.match(line)
        if header:
            option = None
            condition = header.group('condition')
            active = not condition or evaluate_condition(condition)
            if active:
                section = sections.setdefault(header.group('name'), {})
            continue
        if not line.strip():
            continue
        if line.startswith('=>'):
            line = '<part-dependencies> = ' + line[2:]
        match = OPTION.match(line)
        if match is None or (section is None and active):
            bad_lines.append('[line %d]: %r' % (number, line))
            continue
        # Options of a false section are skipped, with their continuation lines.
        option = canonical_key(match.group('name'))
        value = match.group('value').strip()
        block = not value
        if active:
            add_option(section, option, value)
    if bad_lines:
        raise ParseError('File contains parsing errors: %s\n\t%s'
                         % (filename, '\n\t'.join(bad_lines)))
    for options in sections.values():
        for key, value in options.items():
            if value[:1].isspace():
                value = textwrap.dedent(value.rstrip())
                value = re.sub(r'^(\s*\n)+', '', value)
            if key == '<':
                # The spec's `<= a b`: zc.buildout splits macro names on newlines
                # only; section names cannot hold whitespace, so split on any.
                value = '\n'.join(value.split())
            options[key] = with_alias(value)
    return sections


# ---------------------------------------------------------------------------
# Layering (zc.buildout 6 configfiles semantics)
# ---------------------------------------------------------------------------

def base_name(key):
    return key[:-2] if key[-2:] in (' +', ' -') else key


def update_section(lower, upper):
    """`upper` over `lower`, in place (2.13's callers rely on that).
    `+=`/`-=` start from the plain value of the same layer, else the lower
    layer's, else ""; `+=` before `-=`."""
    result = lower
    upper = copy.deepcopy(upper)
    for operator in ('+', '-'):
        for key in sorted(k for k in upper if k.endswith(' ' + operator)):
            name = base_name(key)
            start = upper.get(name, result.get(name, SectionKey('', 'IMPLICIT_VALUE')))
            value = copy.deepcopy(start)
            change = upper.pop(key)
            if operator == '+':
                value.addToValue(change.value, change.source)
            else:
                value.removeFromValue(change.value, change.source)
            upper[name] = value
    for key, value in upper.items():
        if key in result:
            result[key].overrideValue(value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def plain_new_section(section):
    """A section new to the accumulated result: an operator key without a
    plain value of the same name becomes a plain value (`-=`: empty)."""
    section = copy.deepcopy(section)
    for operator in ('+', '-'):
        for key in sorted(k for k in section if k.endswith(' ' + operator)):
            name = base_name(key)
            if name in section:
                continue
            value = section.pop(key)
            if operator == '-':
                value.removeFromValue(value.value, 'IMPLICIT_VALUE')
            section[name] = value
    return update_section({}, section)


def update(lower, upper):
    """`upper` over `lower`, in place (2.13's callers rely on that)."""
    result = lower
    for name, section in upper.items():
        if name in result:
            result[name] = update_section(result[name], section)
        elif '<' in section:
            # Macro users keep their operators for the macro expansion.
            result[name] = copy.deepcopy(section)
        else:
            result[name] = plain_new_section(section)
    return result


def annotate(sections, source):
    return {name: {key: SectionKey(value, source) for key, value in options.items()}
            for name, options in sections.items()}


def read_chain(base, filename, chain):
    """The per-file results of `filename` and everything it extends, bases
    first (a base reached twice is listed twice)."""
    if zb._isurl(filename) or zb._isurl(base):
        raise zc.buildout.UserError(
            'the oracle does not download extends (%s); URL extends are covered '
            'by the unit tests' % filename)
    path = os.path.join(base, filename)
    if path in chain:
        raise zc.buildout.UserError('Recursive file include', chain, path)
    with open(path) as stream:
        parsed = parse(stream.read(), path)
    extends = parsed.get('buildout', {}).pop('extends', None)
    results = []
    for name in (extends or '').split():
        results.extend(read_chain(os.path.dirname(path), name, chain + [path]))
    results.append(annotate(parsed, path))
    return results


def open_config(base, filename, seen, download_options, override, downloaded):
    """Replaces 2.13's _open (only ever called at the top level): the files
    of an extends chain are merged one by one, in order, onto nothing."""
    merged = {}
    for result in read_chain(base, filename, list(seen)):
        merged = update(merged, result)
    if filename == MAIN_CONFIG[0]:
        # 6 loads command-line `buildout:extends` files after the config
        # (each relative to the working directory), before the assignments.
        for extra in COMMAND_LINE_EXTENDS:
            merged = update(merged, open_config(
                os.path.dirname(extra), os.path.basename(extra),
                [], download_options, override, downloaded))
    return merged


COMMAND_LINE_EXTENDS = []
MAIN_CONFIG = [None]


# ---------------------------------------------------------------------------
# Running it
# ---------------------------------------------------------------------------

def parse_command_line(argv):
    """The subset of zc.buildout's main() this oracle needs: -c and assignments."""
    config_file = 'buildout.cfg'
    assignments = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == '-c':
            config_file = args.pop(0)
        elif '=' in arg:
            option, value = arg.split('=', 1)
            parts = option.split(':')
            if len(parts) == 1:
                parts = ['buildout'] + parts
            if len(parts) != 2:
                raise zc.buildout.UserError('Invalid option:', option)
            section, name = parts
            assignments.append((section.strip(), canonical_key(name.strip()),
                                with_alias(value.strip())))
        else:
            raise zc.buildout.UserError('unexpected argument', arg)
    return config_file, assignments


def written_by_user(section_key):
    return any(item.source not in ('DEFAULT_VALUE', 'COMPUTED_VALUE')
               for item in section_key.history)


def resolve(config_file, assignments):
    extends = [value for (section, name, value) in assignments
               if (section, name) == ('buildout', 'extends')]
    COMMAND_LINE_EXTENDS[:] = ' '.join(extends).split()
    MAIN_CONFIG[0] = os.path.abspath(config_file)
    assignments = [a for a in assignments if (a[0], a[1]) != ('buildout', 'extends')]

    buildout = zb.Buildout(config_file, assignments, False)
    annotated = buildout._annotated
    sections = {}
    pending = list(buildout.keys())
    while pending:
        name = pending.pop(0)
        if name in sections:
            continue
        options = buildout[name]
        sections[name] = {key: options[key] for key in options.keys()}
        pending.extend(n for n in buildout.keys() if n not in sections)

    # Drop what only 2.13's own defaults put there (eggs-directory, [versions]
    # pins, ...): the spec defines fewer defaults.
    for name in list(sections):
        notes = annotated.get(name, {})
        for key in list(sections[name]):
            if name == 'buildout' and key in SPEC_DEFAULTS:
                continue
            if key in notes and not written_by_user(notes[key]):
                del sections[name][key]
        defaults_only = notes and not any(written_by_user(v) for v in notes.values())
        if defaults_only and not sections[name]:
            del sections[name]
    return {'sections': sections}


def install_patches():
    zb._open = open_config
    zb._update = update
    zb._update_section = update_section
    zc.buildout.configparser.parse = lambda fp, name, exp_globals=dict: parse(fp.read(), name)
    # Recipes are the engine's business; the oracle only resolves options.
    zb.Options.initialize = lambda self: None
    # Nothing may reach the network.
    zc.buildout.download.Download.download = _refuse_download


def _refuse_download(self, url, md5sum=None, path=None):
    raise zc.buildout.UserError('the oracle does not download: %s' % url)


def main(argv):
    install_patches()
    real_stdout = sys.stdout
    try:
        config_file, assignments = parse_command_line(argv)
        # zc.buildout logs to stdout; keep stdout for the JSON.
        with contextlib.redirect_stdout(sys.stderr):
            result = resolve(config_file, assignments)
    except zc.buildout.UserError as error:
        sys.stderr.write('Error: %s\n' % error)
        return 1
    json.dump(result, real_stdout, indent=2, sort_keys=True)
    real_stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
