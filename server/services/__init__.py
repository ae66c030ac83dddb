"""The services: what the app does, for the HTTP API, the console and the CLI alike.

They import neither flask nor werkzeug: they take plain values, call the engine and the
storage package, and raise the domain errors of `server.services.domain_errors`, whose
issues name the part of the call they are about (never an HTTP body path).
"""
