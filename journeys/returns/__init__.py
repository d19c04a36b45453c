"""The returns log used: each statutory return made or imported recorded, with the state of
the store it was made from and the SHA-256 of its files, read back and its chains checked.

A floor above the evidence (a return names the Merkle root a checkpoint would pin) and below
the 903 import, which records what it imported. Callers outside ``journeys`` use the face,
:mod:`journeys`.
"""
