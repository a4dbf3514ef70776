#!/usr/bin/python3
"""Print zc.buildout 2.13's own `annotate` of a buildout.cfg, unpatched.

Usage (from the buildout's folder): /usr/bin/python3 zc_annotate.py [-v] [-c FILE] [assignments...]

Unlike zc_oracle.py, the layering is 2.13's own (its history of each value
is what its annotate prints); only recipes and downloads are switched off.
Where 2.13's values differ from 6's (README.md), the test compares nothing.
"""

import contextlib
import sys

import zc_oracle
import zc.buildout
import zc.buildout.buildout as zb
import zc.buildout.download


def main(argv):
    verbose = '-v' in argv
    argv = [arg for arg in argv if arg != '-v']
    zb.Options.initialize = lambda self: None
    zc.buildout.download.Download.download = zc_oracle._refuse_download
    config_file, assignments = zc_oracle.parse_command_line(argv)
    real_stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        buildout = zb.Buildout(config_file, assignments, False)
    with contextlib.redirect_stdout(real_stdout):
        zb._print_annotate(buildout._annotated, verbose, [], buildout._buildout_dir)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
