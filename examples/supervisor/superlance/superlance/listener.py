"""The supervisor event listener protocol, reduced to acknowledging events."""
import sys


def acknowledge_events(name):
    """Tell supervisord we are READY, read each event and answer OK, until stdin closes."""
    sys.stderr.write("%s (stand-in) listening; arguments: %s\n" % (name, " ".join(sys.argv[1:])))
    sys.stderr.flush()
    while True:
        sys.stdout.write("READY\n")
        sys.stdout.flush()
        header_line = sys.stdin.readline()
        if not header_line:
            return
        headers = dict(token.split(":", 1) for token in header_line.split())
        sys.stdin.read(int(headers.get("len", "0")))
        sys.stdout.write("RESULT 2\nOK")
        sys.stdout.flush()
