"""Stand-in for superlance's crashmail: acknowledges events without acting on them."""
from superlance.listener import acknowledge_events


def main():
    acknowledge_events("crashmail")
