"""civic-kg: Chinese local newspapers to a knowledge graph of civic events."""
from kg.model import Article, Author, Entity, Evidence, Mention, Sentence, Token, Triple, Value

__all__ = ["Article", "Author", "Entity", "Evidence", "Mention", "Sentence", "Token", "Triple", "Value"]
