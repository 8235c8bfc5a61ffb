/* rabbit_bench: the RabbitMQ peer of cortado-bench. Producers publish
 * persistent messages (delivery_mode 2) to a durable queue with publisher
 * confirms and wait for each confirm (a batch of --batch publishes waits for
 * the last one), the way a Cortado send waits for its commit; consumers take
 * deliveries with manual acks. Bodies start with the CLOCK_MONOTONIC send
 * time so delivery latency is measured the same way as in cortado-bench.
 *
 *   rabbit_bench [--port=5672] [--producers=4] [--consumers=4] [--batch=1]
 *                [--messages=100000] [--body-size=100] [--prefetch=100]
 *
 * Prints "RESULT label=rabbitmq lifecycle_rate=... send_p50_us=..." . */
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int port = 5672, producers = 4, consumers = 4, batch = 1;
static long messages = 100000;
static int body_size = 100, prefetch = 100;
static const char* kQueue = "bench";

static atomic_long to_send, sent, received, errors;
static atomic_llong last_ns;
static int64_t start_ns;

/* Latencies in µs, one slot per message (sorted at the end). */
static uint32_t* ack_us;
static atomic_long ack_n;
static uint32_t* e2e_us;
static atomic_long e2e_n;

static int64_t NowNs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void StoreMax(int64_t v) {
  long long cur = atomic_load(&last_ns);
  while (cur < v && !atomic_compare_exchange_weak(&last_ns, &cur, v)) {
  }
}

static int Failed(amqp_rpc_reply_t r, const char* what) {
  if (r.reply_type == AMQP_RESPONSE_NORMAL) return 0;
  fprintf(stderr, "rabbit_bench: %s failed (reply type %d)\n", what,
          r.reply_type);
  return 1;
}

static amqp_connection_state_t Open(void) {
  amqp_connection_state_t conn = amqp_new_connection();
  amqp_socket_t* socket = amqp_tcp_socket_new(conn);
  if (!socket ||
      amqp_socket_open(socket, "127.0.0.1", port) != AMQP_STATUS_OK) {
    fprintf(stderr, "rabbit_bench: cannot connect to 127.0.0.1:%d\n", port);
    exit(1);
  }
  if (Failed(amqp_login(conn, "/", 0, 131072, 0, AMQP_SASL_METHOD_PLAIN,
                        "guest", "guest"),
             "login"))
    exit(1);
  amqp_channel_open(conn, 1);
  if (Failed(amqp_get_rpc_reply(conn), "channel.open")) exit(1);
  return conn;
}

static void Close(amqp_connection_state_t conn) {
  amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
  amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(conn);
}

static void* Producer(void* arg) {
  (void)arg;
  amqp_connection_state_t conn = Open();
  amqp_confirm_select(conn, 1);
  if (Failed(amqp_get_rpc_reply(conn), "confirm.select")) exit(1);
  char* body = malloc(body_size + 1);
  memset(body, 'x', body_size);
  amqp_basic_properties_t props;
  props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG;
  props.delivery_mode = 2; /* persistent */
  uint64_t tag = 0;
  for (;;) {
    long left = atomic_fetch_sub(&to_send, batch);
    if (left <= 0) break;
    int n = left < batch ? (int)left : batch;
    int64_t begin = NowNs();
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%020lld", (long long)begin);
    memcpy(body, stamp, 20 < body_size ? 20 : body_size);
    amqp_bytes_t bytes = {(size_t)body_size, body};
    for (int i = 0; i < n; ++i) {
      if (amqp_basic_publish(conn, 1, amqp_empty_bytes,
                             amqp_cstring_bytes(kQueue), 0, 0, &props,
                             bytes) != AMQP_STATUS_OK) {
        atomic_fetch_add(&errors, 1);
      }
      ++tag;
    }
    /* Wait until the broker confirmed the last publish (acks may be
     * "multiple", covering all earlier tags). */
    for (uint64_t acked = 0; acked < tag;) {
      amqp_frame_t frame;
      if (amqp_simple_wait_frame(conn, &frame) != AMQP_STATUS_OK) {
        fprintf(stderr, "rabbit_bench: lost connection waiting for confirm\n");
        exit(1);
      }
      if (frame.frame_type != AMQP_FRAME_METHOD) continue;
      if (frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
        amqp_basic_ack_t* ack = frame.payload.method.decoded;
        acked = ack->delivery_tag;
      } else if (frame.payload.method.id == AMQP_BASIC_NACK_METHOD) {
        atomic_fetch_add(&errors, 1);
        amqp_basic_nack_t* nack = frame.payload.method.decoded;
        acked = nack->delivery_tag;
      }
    }
    int64_t end = NowNs();
    ack_us[atomic_fetch_add(&ack_n, 1)] = (uint32_t)((end - begin) / 1000);
    atomic_fetch_add(&sent, n);
    StoreMax(end);
  }
  free(body);
  Close(conn);
  return NULL;
}

static void* Consumer(void* arg) {
  (void)arg;
  amqp_connection_state_t conn = Open();
  amqp_basic_qos(conn, 1, 0, (uint16_t)prefetch, 0);
  amqp_basic_consume(conn, 1, amqp_cstring_bytes(kQueue), amqp_empty_bytes, 0,
                     0, 0, amqp_empty_table);
  if (Failed(amqp_get_rpc_reply(conn), "basic.consume")) exit(1);
  struct timeval timeout = {0, 100000};
  while (atomic_load(&received) < messages) {
    amqp_envelope_t envelope;
    amqp_maybe_release_buffers(conn);
    amqp_rpc_reply_t r = amqp_consume_message(conn, &envelope, &timeout, 0);
    if (r.reply_type != AMQP_RESPONSE_NORMAL) {
      if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
          r.library_error == AMQP_STATUS_TIMEOUT)
        continue;
      fprintf(stderr, "rabbit_bench: consume failed\n");
      exit(1);
    }
    int64_t now = NowNs();
    if (envelope.message.body.len >= 20) {
      char stamp[21];
      memcpy(stamp, envelope.message.body.bytes, 20);
      stamp[20] = 0;
      long e = atomic_fetch_add(&e2e_n, 1);
      if (e < messages) e2e_us[e] = (uint32_t)((now - atoll(stamp)) / 1000);
    }
    amqp_basic_ack(conn, 1, envelope.delivery_tag, 0);
    amqp_destroy_envelope(&envelope);
    atomic_fetch_add(&received, 1);
    StoreMax(NowNs());
  }
  Close(conn);
  return NULL;
}

static int CompareU32(const void* a, const void* b) {
  uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
  return x < y ? -1 : x > y;
}

static uint32_t Pct(uint32_t* v, long n, double q) {
  if (n == 0) return 0;
  long i = (long)(q * n);
  return v[i >= n ? n - 1 : i];
}

static int Flag(const char* arg, const char* name, long* out) {
  size_t len = strlen(name);
  if (strncmp(arg, name, len) != 0 || arg[len] != '=') return 0;
  *out = atol(arg + len + 1);
  return 1;
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    long v;
    if (Flag(argv[i], "--port", &v))
      port = (int)v;
    else if (Flag(argv[i], "--producers", &v))
      producers = (int)v;
    else if (Flag(argv[i], "--consumers", &v))
      consumers = (int)v;
    else if (Flag(argv[i], "--batch", &v))
      batch = (int)v;
    else if (Flag(argv[i], "--messages", &v))
      messages = v;
    else if (Flag(argv[i], "--body-size", &v))
      body_size = (int)v;
    else if (Flag(argv[i], "--prefetch", &v))
      prefetch = (int)v;
    else {
      fprintf(stderr, "rabbit_bench: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (body_size < 20 || batch < 1 || producers < 1 || consumers < 1) {
    fprintf(stderr,
            "rabbit_bench: need body-size>=20, batch, producers, "
            "consumers >= 1\n");
    return 2;
  }
  {
    amqp_connection_state_t conn = Open();
    amqp_queue_declare(conn, 1, amqp_cstring_bytes(kQueue), 0, 1, 0, 0,
                       amqp_empty_table);
    if (Failed(amqp_get_rpc_reply(conn), "queue.declare")) return 1;
    amqp_queue_purge(conn, 1, amqp_cstring_bytes(kQueue));
    Close(conn);
  }
  ack_us = calloc(messages + 1, sizeof *ack_us);
  e2e_us = calloc(messages + 1, sizeof *e2e_us);
  atomic_store(&to_send, messages);
  start_ns = NowNs();
  pthread_t threads[512];
  int n = 0;
  for (int i = 0; i < producers && n < 512; ++i)
    pthread_create(&threads[n++], NULL, Producer, NULL);
  for (int i = 0; i < consumers && n < 512; ++i)
    pthread_create(&threads[n++], NULL, Consumer, NULL);
  for (int i = 0; i < n; ++i) pthread_join(threads[i], NULL);
  double seconds = (atomic_load(&last_ns) - start_ns) / 1e9;
  long acks = atomic_load(&ack_n), e2es = atomic_load(&e2e_n);
  if (e2es > messages) e2es = messages;
  qsort(ack_us, acks, sizeof *ack_us, CompareU32);
  qsort(e2e_us, e2es, sizeof *e2e_us, CompareU32);
  printf(
      "rabbitmq persistent+confirms: %ld messages, %d producers, %d "
      "consumers, batch %d: %.0f msgs/s; send ack p50 %u us p99 %u us; "
      "end-to-end p50 %u us p99 %u us; errors %ld\n",
      atomic_load(&received), producers, consumers, batch,
      atomic_load(&received) / seconds, Pct(ack_us, acks, 0.5),
      Pct(ack_us, acks, 0.99), Pct(e2e_us, e2es, 0.5), Pct(e2e_us, e2es, 0.99),
      atomic_load(&errors));
  printf(
      "RESULT label=rabbitmq lifecycle_rate=%.0f send_p50_us=%u "
      "send_p99_us=%u e2e_p50_us=%u e2e_p99_us=%u errors=%ld\n",
      atomic_load(&received) / seconds, Pct(ack_us, acks, 0.5),
      Pct(ack_us, acks, 0.99), Pct(e2e_us, e2es, 0.5), Pct(e2e_us, e2es, 0.99),
      atomic_load(&errors));
  free(ack_us);
  free(e2e_us);
  return atomic_load(&errors) == 0 ? 0 : 1;
}
