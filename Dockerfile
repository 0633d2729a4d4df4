# Sextant: layered, non-root image. Build: docker build -t sextant .
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/sextant.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 sextant \
 && useradd --system --uid 10001 --gid sextant --home-dir /app sextant \
 && mkdir -p /data && chown sextant:sextant /data
WORKDIR /app
# Least-changing layers first, so a code change rebuilds only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER sextant
# Without SEXTANT_DB_URL the embedded PostgreSQL keeps its data here.
ENV SEXTANT_DB_EMBEDDED_DATA_DIR=/data/postgres
# The key that seals stored secrets, generated on first start unless SEXTANT_SECRETS_KEYSET is set.
ENV SEXTANT_SECRETS_KEYSET_FILE=/data/secrets.keyset
VOLUME /data
EXPOSE 8080
# Healthy = ready to serve (database reachable, not shutting down). The JRE image has bash but no
# curl, so the probe is bash's /dev/tcp; it follows SEXTANT_PORT.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SEXTANT_PORT:-8080} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
