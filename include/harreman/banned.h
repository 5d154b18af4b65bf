/* SPDX-License-Identifier: MIT */
/* Unsafe libc calls turned into compile errors. Include it last in every .c file,
 * after the system headers, so their declarations are not rewritten. */
#ifndef HARREMAN_BANNED_H
#define HARREMAN_BANNED_H

#define HM_BANNED(func) sorry_##func##_is_banned_use_a_bounded_alternative

#undef sprintf
#define sprintf(...) HM_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) HM_BANNED(vsprintf)
#undef strcpy
#define strcpy(...) HM_BANNED(strcpy)
#undef strcat
#define strcat(...) HM_BANNED(strcat)
#undef strncpy
#define strncpy(...) HM_BANNED(strncpy)
#undef strtok
#define strtok(...) HM_BANNED(strtok)
#undef atoi
#define atoi(...) HM_BANNED(atoi)
#undef atol
#define atol(...) HM_BANNED(atol)
#undef gets
#define gets(...) HM_BANNED(gets)

#endif
