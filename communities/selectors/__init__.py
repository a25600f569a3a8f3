"""Read queries for community pages, the chat, the moderator dashboard and digests.

Each is shaped so its number of queries does not grow with the rows it shows.
"""
