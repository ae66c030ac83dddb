"""The draft editor: a ruleset document as named form fields, and back.

A field's name is the document path it edits with "-" between the parts and list items
numbered (`indicators-2-formula`), so a validation problem at `/indicators/2/formula`
lands beside that very field.
"""
