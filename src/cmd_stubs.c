/* Temporary: commands not written yet. */
#include "cmd.h"
#include "usage.h"
#define STUB(n) int cmd_##n(int argc, char **argv) { (void)argc; (void)argv; return error("'%s' is not implemented yet", #n), EXIT_FATAL; }
STUB(init)
STUB(scan)
STUB(import)
STUB(list)
STUB(show)
