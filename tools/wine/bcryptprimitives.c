/* For the Wine smoke test only, never shipped: Rust's standard library takes its random numbers
 * from ProcessPrng in bcryptprimitives.dll, which every Windows since 8 has and Debian's Wine 8
 * lacks. This stands in for it with RtlGenRandom (advapi32's SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
