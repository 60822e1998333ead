/* The street round's service worker: written in the next step (see static/js/round.js). */
