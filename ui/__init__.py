"""User interfaces: the `kilde` command line and the Gradio app."""
