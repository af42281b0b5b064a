"""Graph: the corpus's `model.Extraction`s in, RDF out: one named graph per article plus the entity index.

`rdf` renders them in the closed vocabulary of `vocab`, `validate` checks them against the
SHACL shapes, and `network` reads a civic.trig back as the networkx graph the products draw on.
"""
