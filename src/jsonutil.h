/* jsonutil: jansson helpers shared by the --json writers. */
#ifndef SECPORT_JSONUTIL_H
#define SECPORT_JSONUTIL_H

#include <jansson.h>

/*
 * A JSON string of text that may not be UTF-8 (commit messages, hand
 * edits): invalid bytes become U+FFFD, so the output is always valid JSON
 * and no field silently disappears (json_string() returns NULL on them).
 */
json_t *json_text(const char *s);

#endif
