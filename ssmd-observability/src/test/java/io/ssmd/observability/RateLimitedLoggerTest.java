package io.ssmd.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLoggerTest {

  @Test
  void logsOncePerKeyPerIntervalAndReportsSuppressedCount() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("ratelimitedloggertest." + System.nanoTime());
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    logger.addAppender(appender);
    AtomicLong clock = new AtomicLong();
    RateLimitedLogger limited = new RateLimitedLogger(logger, Duration.ofSeconds(10), clock::get);

    assertThat(limited.warn("malformed", "bad frame {}", 1)).isTrue();
    assertThat(limited.warn("malformed", "bad frame {}", 2)).isFalse();
    assertThat(limited.warn("malformed", "bad frame {}", 3)).isFalse();
    assertThat(limited.warn("oversize", "big frame")).as("other keys are independent").isTrue();
    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(limited.warn("malformed", "bad frame {}", 4)).isTrue();

    assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("bad frame 1", "big frame", "bad frame 4");
    ILoggingEvent last = appender.list.get(2);
    assertThat(last.getKeyValuePairs()).anySatisfy(kv -> {
      assertThat(kv.key).isEqualTo("suppressed");
      assertThat(kv.value).isEqualTo(2L);
    });
  }

  @Test
  void trailingThrowableIsLoggedAsTheException() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger logger = context.getLogger("ratelimitedloggertest." + System.nanoTime());
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    logger.addAppender(appender);
    new RateLimitedLogger(logger).error("handler", "handler failed on shard {}", 3, new IllegalStateException("bad"));

    assertThat(appender.list).hasSize(1);
    assertThat(appender.list.get(0).getFormattedMessage()).isEqualTo("handler failed on shard 3");
    assertThat(appender.list.get(0).getThrowableProxy().getMessage()).isEqualTo("bad");
  }
}
