"""Data protection of the records kept: who looked at a child (the access log), a child's whole
record for a subject-access request, and how long each child's record is kept (retention).

A floor above the application and the loading: these use the app and the export's line format,
never the other way round. Callers outside ``journeys`` use the face, :mod:`journeys`.
"""
