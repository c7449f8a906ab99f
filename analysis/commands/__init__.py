"""One module per command of SPEC §5; each exposes `add_arguments(parser)` and `run(args) -> int`."""
