"""Camera-site planning: where cameras would see what has happened, at what privacy cost.

- ``solve`` — weighted maximal coverage: lazy greedy and the exact integer program.
"""
