/**
 * The contract between a role (a library with a {@code launch(Context)} entry point) and the process that runs it:
 * the launcher, the system tests and production all start roles through these types.
 */
package io.bifrost.protocol.node;
