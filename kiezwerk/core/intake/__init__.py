"""Intake services every way in shares (web form, street round, desk capture, later Open311 and an API).

`places`: address ⇄ point with the district's street register; `photos`: decode, re-encode
without metadata, thumbnail; `limits`: the rate limit per source; `language`: the language a text is
written in.
"""
