"""Search indexes of the public library (PostgreSQL only; nothing on SQLite).

* pg_trgm GIN trigram indexes on the title and on the text of every version:
  ``LIKE '%词语%'`` of 3 or more characters is answered from them (the
  database must have a UTF-8 locale such as C.UTF-8, see docs/deploy.md).
* Trigrams cannot serve 1- and 2-character Chinese terms (a 2-character
  pattern contains no trigram). ``normdocs_bigrams(text)`` turns a text into
  the tsvector of its overlapping Chinese character pairs (every other
  character becomes ``|``), so a 2-character term is one exact lexeme
  (``'行政'``) and a 1-character term a lexeme prefix (``'税':*``); GIN
  expression indexes on it answer both without reading the texts.
* A partial index on the publication date of published documents, the
  order of the library's pages.

The function is IMMUTABLE (regexp_replace, array_to_tsvector): the index
expression and the query expression in fazhi/normative_docs/search.py must
stay exactly ``normdocs_bigrams(<column>)``.

Owned by the portal/search part of the module; depends on the latest model
migration at the time it was written. Re-check the ordering when model
migrations are added.
"""

from django.db import migrations

PUBLIC = "('published', 'amended', 'repealed', 'expired')"

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    r"""
    CREATE OR REPLACE FUNCTION normdocs_bigrams(t text) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 500 AS $$
    DECLARE s text;
    BEGIN
      s := regexp_replace(t, '[^\u3400-\u9fff\uf900-\ufaff]+', '|', 'g');
      RETURN array_to_tsvector(array_remove(
          string_to_array(regexp_replace(s, '(..)', '\1 ', 'g'), ' ')
          || string_to_array(regexp_replace(substr(s, 2), '(..)', '\1 ', 'g'), ' '),
          ''));
    END $$
    """,
    "CREATE INDEX IF NOT EXISTS nd_doc_title_trgm ON normative_docs_normdoc USING gin (title gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS nd_version_text_trgm ON normative_docs_docversion USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS nd_doc_title_bigram ON normative_docs_normdoc USING gin (normdocs_bigrams(title))",
    "CREATE INDEX IF NOT EXISTS nd_version_text_bigram ON normative_docs_docversion "
    "USING gin (normdocs_bigrams(text))",
    "CREATE INDEX IF NOT EXISTS nd_doc_public_pub ON normative_docs_normdoc (published_on DESC, id DESC) "
    f"WHERE status IN {PUBLIC}",
]

BACKWARD = [
    "DROP INDEX IF EXISTS nd_doc_public_pub",
    "DROP INDEX IF EXISTS nd_version_text_bigram",
    "DROP INDEX IF EXISTS nd_doc_title_bigram",
    "DROP INDEX IF EXISTS nd_version_text_trgm",
    "DROP INDEX IF EXISTS nd_doc_title_trgm",
    "DROP FUNCTION IF EXISTS normdocs_bigrams(text)",
    # pg_trgm stays: other modules may use it.
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("normative_docs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
