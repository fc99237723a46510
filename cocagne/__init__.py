"""The `cocagne` command: demo database, web client, tests and benchmarks.

Thin tooling around trytond; the business logic lives in addons/<module>/.
"""
__version__ = '8.0.0'
