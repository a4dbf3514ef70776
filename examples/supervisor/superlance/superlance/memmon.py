"""Stand-in for superlance's memmon: acknowledges events without acting on them."""
from superlance.listener import acknowledge_events


def main():
    acknowledge_events("memmon")
