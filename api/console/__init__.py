"""The web console under ``/konsol``: server-rendered pages in Bahasa Indonesia for people.

Pages call the same use cases as the API with the signed-in person's ``Actor``
(``user:<username>``); the console adds no rules of its own. Forms carry Litestar's CSRF token
(the CSRF middleware is on the console's router only: the JSON API has no cookies).
"""
