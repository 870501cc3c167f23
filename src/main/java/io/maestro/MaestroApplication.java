package io.maestro;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class MaestroApplication {
    public static void main(String[] args) {
        SpringApplication.run(MaestroApplication.class, args);
    }
}
