"""Benchmarks: `python -m bench` runs them all, `python -m bench NAME` one of them.

Each benchmark prints its figures and, last, one line
`name: value unit (ratio N.NN vs ceiling)`, the ceiling being measured in the same run.
"""
