/* Functions that invite buffer overflows on untrusted text (git's banned.h). */
#ifndef SECPORT_BANNED_H
#define SECPORT_BANNED_H
#undef strcpy
#define strcpy(x, y) sorry_strcpy_is_banned_use_strbuf
#undef strcat
#define strcat(x, y) sorry_strcat_is_banned_use_strbuf
#undef sprintf
#define sprintf(...) sorry_sprintf_is_banned_use_snprintf_or_strbuf
#undef strtok
#define strtok(x, y) sorry_strtok_is_banned
#undef gets
#define gets(x) sorry_gets_is_banned
#endif
