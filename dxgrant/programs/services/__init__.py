"""Writes about programmes, one module per use case (callers import the module):

- `loading`: loading a programme definition file (the programme, its rounds, declaration texts).
"""
