package org.lifelongpulse.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./pulse demo}: the whole pipeline on the local stack. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline locally: stack, schema, generated activity week,"
                + " both jobs, and a live console summary until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        Console.progress("the demo needs the generator and the Flink jobs, which are not yet"
                + " implemented (issues #3, #5, #6).");
        Console.progress("what runs today: ./pulse stack up; ./pulse schema apply;"
                + " ./pulse produce --topic learning.activity.v1 --file FILE.jsonl;"
                + " ./pulse consume --topic learning.activity.v1 --from-beginning --max 10");
        return 0;
    }
}
