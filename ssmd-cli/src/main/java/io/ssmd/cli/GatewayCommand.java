package io.ssmd.cli;

import io.ssmd.gateway.ApiKey;
import io.ssmd.gateway.ApiKeyStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ssmd gateway key add|revoke|list --file F}: the gateway's API keys (stored hashed). */
@Command(
    name = "gateway",
    description = "Gateway administration: API keys.",
    mixinStandardHelpOptions = true,
    subcommands = {GatewayCommand.Key.class})
final class GatewayCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "key",
      description = "Create, revoke and list API keys in a keys file (salted SHA-256; the key is shown once, at creation).",
      mixinStandardHelpOptions = true,
      subcommands = {Add.class, Revoke.class, ListKeys.class})
  static final class Key implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }
  }

  @Command(name = "add", description = "Create a key; prints it once (it is stored only hashed).", mixinStandardHelpOptions = true)
  static final class Add implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "Who or what the key is for (unique in the file).")
    String name;

    @Option(names = "--file", required = true, description = "Keys file (created if missing).")
    Path file;

    @Option(names = "--feeds", split = ",", description = "Feeds the key may read (comma-separated; default: every feed).")
    List<String> feeds;

    @Override
    public Integer call() {
      String key;
      try {
        key = ApiKeyStore.load(file).add(name, feeds == null ? List.of() : feeds, Clock.systemUTC());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      System.out.println(key);
      System.err.println("key '" + name + "' added to " + file + "; store it now: it cannot be shown again");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "revoke", description = "Revoke a key; a running gateway refuses it for new connections within a second.", mixinStandardHelpOptions = true)
  static final class Revoke implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "The key's name.")
    String name;

    @Option(names = "--file", required = true, description = "Keys file.")
    Path file;

    @Override
    public Integer call() {
      boolean changed;
      try {
        changed = ApiKeyStore.load(file).revoke(name, Clock.systemUTC());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      System.out.println(changed ? "revoked " + name : name + " was already revoked");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "list", description = "List keys: name, created, revoked, feeds (never the keys).", mixinStandardHelpOptions = true)
  static final class ListKeys implements Callable<Integer> {
    @Option(names = "--file", required = true, description = "Keys file.")
    Path file;

    @Override
    public Integer call() {
      List<ApiKey> keys;
      try {
        keys = ApiKeyStore.load(file).keys();
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      System.out.printf("%-24s %-21s %-21s %s%n", "NAME", "CREATED", "REVOKED", "FEEDS");
      for (ApiKey k : keys) {
        System.out.printf("%-24s %-21s %-21s %s%n", k.name(), k.created(), k.revoked() == null ? "-" : k.revoked(),
            k.feeds().isEmpty() ? "*" : String.join(",", k.feeds()));
      }
      return Main.EXIT_OK;
    }
  }
}
