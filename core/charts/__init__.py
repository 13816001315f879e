"""Figure builders: arrays in, plotly figures out. Pure and unit-tested; pages only place them.

One module per page (neuron.py, ...); the palette and shared pieces live in style.py.
"""
