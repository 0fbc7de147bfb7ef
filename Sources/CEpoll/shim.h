/*
 * CEpoll: the Linux APIs the native HTTP client and LoopbackTesting need that Swift's Glibc
 * module leaves out (sys/epoll.h, sys/eventfd.h, naming a thread). epoll_event is packed on
 * x86_64: helpers read and write it.
 */
#ifndef CEPOLL_SHIM_H
#define CEPOLL_SHIM_H

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

static inline int cepoll_ctl(int epfd, int op, int fd, unsigned int events) {
    struct epoll_event event;
    event.events = events;
    event.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &event);
}
static inline int cepoll_event_fd(const struct epoll_event *events, int index) { return events[index].data.fd; }
static inline unsigned int cepoll_event_flags(const struct epoll_event *events, int index) { return events[index].events; }
static inline unsigned long cepoll_event_size(void) { return sizeof(struct epoll_event); }
/* Names the calling thread (at most 15 bytes), as `top -H` and `perf` show it. glibc declares
 * pthread_setname_np only under _GNU_SOURCE, which would change the system headers this
 * module shares with the others: declared here instead. */
extern int pthread_setname_np(pthread_t thread, const char *name);
static inline void cepoll_name_this_thread(const char *name) { pthread_setname_np(pthread_self(), name); }

static const unsigned int CEPOLL_IN = EPOLLIN;
static const unsigned int CEPOLL_OUT = EPOLLOUT;
static const unsigned int CEPOLL_HUP = EPOLLHUP;
static const unsigned int CEPOLL_ERR = EPOLLERR;
static const int CEPOLL_CTL_ADD = EPOLL_CTL_ADD;
static const int CEPOLL_CTL_MOD = EPOLL_CTL_MOD;
static const int CEPOLL_CLOEXEC = EPOLL_CLOEXEC;
static const int CEVENTFD_FLAGS = EFD_NONBLOCK | EFD_CLOEXEC;

#endif
