"""The dataset card: static pages in `build/card/` that open from disk, with a map and a timeline."""
