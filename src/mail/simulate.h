/*
 * The test-mode tracking simulation (an opt-in account setting): rendered test letters and
 * postcards whose send date has passed walk through Mailed → In Transit → In Local Area →
 * Processed for Delivery → Delivered (certified letters: the certified events with their
 * details) on frankd's clock, speed times faster than real USPS pace, each step emitting its
 * webhook event as live mail would.
 */
#ifndef FRANK_MAIL_SIMULATE_H
#define FRANK_MAIL_SIMULATE_H
#include "store/store.h"

struct simulator;

struct simulator *simulator_start(struct store *s);
void simulator_stop(struct simulator *sim);
#endif
