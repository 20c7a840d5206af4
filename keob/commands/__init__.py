"""Sub-command modules of `keob`. Each module defines ``register(main: click.Group)``.

Modules are discovered automatically, so a new command group is one new file here.
"""
