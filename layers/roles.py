"""Organisations and database roles of a PostGIS project (row-level security).

EST is collaboration: the municipality, the police, housing companies and schools
feed one situation picture, and each sees what it may. In a PostGIS project
(:mod:`layers.store_postgis`) three group roles carry the rights:

``trygg_admin``
    Owns the project's tables; reads and writes everything (the coordinator).
``trygg_intern``
    A user of one organisation (``_members``: login role → organisation). Reads
    the reports of its own organisation, the reports other organisations share
    with it (``_shares``) and every ``publik`` report; adds reports only as its own
    organisation (a report without one gets the user's); reads the rejected rows
    only of its organisation's own ingests (they keep the file's free text;
    ``_ingest_owners`` records who ran each ingest); reads the analysis layers.
``trygg_publik``
    The public site: no row of ``reports`` at all, only the view
    ``publik_counts`` — reports with ``visibility = 'publik'`` counted by month,
    category and kind, groups below :data:`MIN_PUBLIC_COUNT` left out.

The policies live in the database, so they hold for every client: ``trygg``
commands, ``trygg serve``, psql or a GIS. Group roles are of the whole server
(PostgreSQL roles are not per database); the grants are per project.
"""

from __future__ import annotations

from trygg.geo.errors import ArgumentError

ROLES = ("admin", "intern", "publik")
#: Groups smaller than this are left out of the public view (as in the public map).
MIN_PUBLIC_COUNT = 3


def role_name(role: str) -> str:
    """The group role of ``role`` (``admin``, ``intern``, ``publik``): ``trygg_ROLE``."""
    if role not in ROLES:
        raise ArgumentError(f"Okänd roll '{role}'. Välj en av: {', '.join(ROLES)}.",
                            f"Unknown role '{role}'. Choose one of: {', '.join(ROLES)}.")
    return f"trygg_{role}"


_INSTALL = """
DO $$
DECLARE
  name text;
BEGIN
  FOREACH name IN ARRAY ARRAY['trygg_admin', 'trygg_intern', 'trygg_publik'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;  -- made by another project's init at the same moment
      END;
    END IF;
  END LOOP;
END
$$;
CREATE TABLE trygg._members (role name PRIMARY KEY, organisation text NOT NULL);
CREATE TABLE trygg._shares (organisation text NOT NULL, with_organisation text NOT NULL,
                            PRIMARY KEY (organisation, with_organisation));
CREATE FUNCTION trygg._my_organisation() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = trygg, pg_temp
  AS $f$ SELECT organisation FROM trygg._members WHERE role = session_user $f$;
CREATE FUNCTION trygg._shared_with_me() RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = trygg, pg_temp
  AS $f$ SELECT organisation FROM trygg._shares
         WHERE with_organisation = trygg._my_organisation() $f$;
CREATE FUNCTION trygg._default_organisation() RETURNS trigger
  LANGUAGE plpgsql AS $f$
  BEGIN
    IF NEW.organisation IS NULL OR NEW.organisation = '' THEN
      NEW.organisation := trygg._my_organisation();
    END IF;
    RETURN NEW;
  END $f$;
CREATE TRIGGER reports_organisation BEFORE INSERT ON trygg.reports
  FOR EACH ROW EXECUTE FUNCTION trygg._default_organisation();
ALTER TABLE trygg.reports ENABLE ROW LEVEL SECURITY;
CREATE POLICY intern_reads ON trygg.reports FOR SELECT TO trygg_intern USING (
  visibility = 'publik' OR organisation = trygg._my_organisation()
  OR organisation IN (SELECT trygg._shared_with_me()));
CREATE POLICY intern_adds ON trygg.reports FOR INSERT TO trygg_intern
  WITH CHECK (organisation = trygg._my_organisation());
{rejects}
CREATE VIEW trygg.publik_counts AS
  SELECT to_char(reported_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM') AS month,
         category, kind, count(*) AS reports
  FROM trygg.reports WHERE visibility = 'publik'
  GROUP BY 1, 2, 3 HAVING count(*) >= {min_count};
GRANT USAGE ON SCHEMA trygg TO trygg_admin, trygg_intern, trygg_publik;
GRANT CREATE ON SCHEMA trygg TO trygg_admin, trygg_intern;
GRANT ALL ON ALL TABLES IN SCHEMA trygg TO trygg_admin;
GRANT SELECT ON ALL TABLES IN SCHEMA trygg TO trygg_intern;
REVOKE ALL ON trygg._members, trygg._shares, trygg._ingest_owners, trygg.submissions,
  trygg.staff FROM trygg_intern;
GRANT INSERT ON trygg.reports, trygg.rejects, trygg.ingests, trygg.runs, trygg.links
  TO trygg_intern;
GRANT INSERT, DELETE ON trygg._rasters TO trygg_intern;
REVOKE ALL ON ALL TABLES IN SCHEMA trygg FROM trygg_publik;
GRANT SELECT ON trygg.publik_counts TO trygg_publik;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA trygg FROM PUBLIC;
GRANT EXECUTE ON FUNCTION trygg._my_organisation(), trygg._shared_with_me()
  TO trygg_admin, trygg_intern;
GRANT EXECUTE ON FUNCTION trygg._my_ingests() TO trygg_admin, trygg_intern;
"""

#: Rejected rows keep the file's own columns, free text included: an intern user reads
#: only the rejects of its organisation's ingests (who ran an ingest is kept beside it).
#: Also schema migration 3 of older projects (statements that may run again).
REJECTS_SQL = """
CREATE TABLE IF NOT EXISTS trygg._ingest_owners (ingest_id text PRIMARY KEY,
                                                 organisation text);
CREATE OR REPLACE FUNCTION trygg._record_ingest_owner() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = trygg, pg_temp AS $f$
  BEGIN
    INSERT INTO trygg._ingest_owners VALUES (NEW.ingest_id, trygg._my_organisation())
      ON CONFLICT (ingest_id) DO NOTHING;
    RETURN NEW;
  END $f$;
DROP TRIGGER IF EXISTS ingests_owner ON trygg.ingests;
CREATE TRIGGER ingests_owner AFTER INSERT ON trygg.ingests
  FOR EACH ROW EXECUTE FUNCTION trygg._record_ingest_owner();
CREATE OR REPLACE FUNCTION trygg._my_ingests() RETURNS SETOF text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = trygg, pg_temp
  AS $f$ SELECT ingest_id FROM trygg._ingest_owners
         WHERE organisation = trygg._my_organisation() $f$;
ALTER TABLE trygg.rejects ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS intern_reads ON trygg.rejects;
CREATE POLICY intern_reads ON trygg.rejects FOR SELECT TO trygg_intern
  USING (ingest_id IN (SELECT trygg._my_ingests()));
DROP POLICY IF EXISTS intern_adds ON trygg.rejects;
CREATE POLICY intern_adds ON trygg.rejects FOR INSERT TO trygg_intern WITH CHECK (true);
REVOKE ALL ON trygg._ingest_owners FROM trygg_intern, trygg_publik;
"""

#: Tables whose rows the policies check (rows go in through a staging table: COPY
#: into them is refused for the users the policies apply to).
POLICY_TABLES = ("reports", "rejects")


def install(conn) -> None:
    """Create the group roles (when missing), the membership tables, the policies and
    the public view in a new project (inside its creating transaction)."""
    conn.execute(_INSTALL.replace("{min_count}", str(int(MIN_PUBLIC_COUNT)))
                 .replace("{rejects}", REJECTS_SQL))
    own_tables(conn)


def own_tables(conn, table: str | None = None) -> None:
    """Give ``table`` (every table of the project when ``None``) to ``trygg_admin`` when
    the connected user may, and let ``trygg_intern`` read it (new analysis layers)."""
    from psycopg import sql

    from trygg.layers.store_postgis import INTERNAL_PREFIX, SCHEMA

    if table is None:
        names = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s", (SCHEMA,)).fetchall()]
    else:
        names = [table]
    admin = conn.execute("SELECT pg_has_role(current_user, 'trygg_admin', 'MEMBER')"
                         ).fetchone()[0]
    for name in names:
        ident = sql.Identifier(SCHEMA, name)
        if admin:
            conn.execute(sql.SQL("ALTER TABLE {} OWNER TO trygg_admin").format(ident))
        if not name.startswith(INTERNAL_PREFIX) and table is not None:
            conn.execute(sql.SQL("GRANT SELECT ON {} TO trygg_intern").format(ident))
            conn.execute(sql.SQL("GRANT ALL ON {} TO trygg_admin").format(ident))
    if admin and table is None:
        conn.execute("ALTER VIEW trygg.publik_counts OWNER TO trygg_admin")


def add_user(store, user: str, role: str, *, organisation: str | None = None,
             password: str | None = None) -> None:
    """Create the login role ``user`` in the group of ``role``; an ``intern`` user
    belongs to ``organisation`` (required). Needs a user who may create roles.

    Parameters
    ----------
    store
        An open :class:`layers.store_postgis.PostGISStore`.
    user
        The new login name.
    role
        ``admin``, ``intern`` or ``publik``.
    organisation
        The organisation of an intern user, e.g. ``"Polisen"``.
    password
        Its password (stored by PostgreSQL as a SCRAM-SHA-256 hash); ``None``: no
        password (only for servers that authenticate otherwise).
    """
    from psycopg import sql

    group = role_name(role)
    if role == "intern" and not organisation:
        raise ArgumentError("En intern användare behöver --organisation.",
                            "An intern user needs --organisation.")
    with store.transaction() as tx:
        exists = tx._sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone()
        if not exists:
            tx._sql(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(user)))
        if password is not None:
            tx._sql("SET LOCAL password_encryption = 'scram-sha-256'")
            tx._sql(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(user),
                                                                 sql.Literal(password)))
        tx._sql(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(user)))
        if organisation:
            tx._sql("INSERT INTO trygg._members (role, organisation) VALUES (%s, %s) "
                    "ON CONFLICT (role) DO UPDATE SET organisation = EXCLUDED.organisation",
                    (user, organisation))


def share(store, organisation: str, with_organisation: str) -> None:
    """Let the intern users of ``with_organisation`` read ``organisation``'s intern
    reports."""
    with store.transaction() as tx:
        tx._sql("INSERT INTO trygg._shares VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (organisation, with_organisation))
