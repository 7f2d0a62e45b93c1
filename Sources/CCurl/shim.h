#ifndef SSE_CCURL_SHIM_H
#define SSE_CCURL_SHIM_H

// Typed wrappers for libcurl's variadic entry points, which Swift cannot call directly, and constants
// whose macros Swift does not import.

#include <curl/curl.h>
#include <sys/socket.h>

typedef size_t (*sse_curl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*sse_curl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                           curl_off_t ultotal, curl_off_t ulnow);
typedef int (*sse_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size,
                                       void *userptr);
typedef int (*sse_curl_sockopt_callback)(void *clientp, curl_socket_t curlfd, curlsocktype purpose);

static const size_t SSE_CURL_WRITEFUNC_PAUSE = CURL_WRITEFUNC_PAUSE;
static const int SSE_CURLPAUSE_RECV = CURLPAUSE_RECV;
static const int SSE_CURLPAUSE_CONT = CURLPAUSE_CONT;
static const int SSE_CURL_ERROR_SIZE = CURL_ERROR_SIZE;
static const long SSE_CURLPIPE_NOTHING = CURLPIPE_NOTHING;
static const long SSE_CURLPIPE_MULTIPLEX = CURLPIPE_MULTIPLEX;
static const CURLversion SSE_CURLVERSION_NOW = CURLVERSION_NOW;

static inline CURLcode sse_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sse_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sse_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sse_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sse_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
static inline CURLcode sse_easy_setopt_data_callback(CURL *handle, CURLoption option, sse_curl_data_callback fn) {
    return curl_easy_setopt(handle, option, fn);
}

static inline CURLcode sse_easy_setopt_xferinfo_callback(CURL *handle, sse_curl_xferinfo_callback fn) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, fn);
}

static inline CURLcode sse_easy_setopt_debug_callback(CURL *handle, sse_curl_debug_callback fn) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, fn);
}

static inline CURLcode sse_easy_setopt_sockopt_callback(CURL *handle, sse_curl_sockopt_callback fn) {
    return curl_easy_setopt(handle, CURLOPT_SOCKOPTFUNCTION, fn);
}

static inline CURLcode sse_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode sse_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode sse_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode sse_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/// Makes close() of the socket send a TCP RST instead of a FIN (SO_LINGER with a zero timeout).
static inline int sse_socket_set_linger_zero(curl_socket_t fd) {
    struct linger l;
    l.l_onoff = 1;
    l.l_linger = 0;
    return setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

#endif
