package io.bifrost.launcher.config;

/**
 * Where a setting's value came from, in increasing precedence.
 */
public enum ConfigSource
{
    /** The built-in default. */
    DEFAULT,
    /** The config file. */
    FILE,
    /** A {@code BIFROST_*} environment variable. */
    ENV,
    /** A command-line flag. */
    FLAG
}
