"""SPARQL: civic.trig in, answers out: the embedded Oxigraph store (OUT_DIR/store/), the example
queries, `kg query`, the read-only endpoint and query page of `kg serve`, and `kg push` to other stores.
"""
