"""The floor the framework sets: a Typer app with one command that prints a line (see bench/speed.py)."""

import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    print("hello")


if __name__ == "__main__":
    app()
