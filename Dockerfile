# kubeline as a container: runs `kubeline scan` once and exits, for schedulers other than Lambda
# (a Kubernetes CronJob, a Cloud Run job, an Azure Container Apps job: examples in deploy/).
#
#   docker build -t kubeline .
#   docker run --rm -v "$PWD/kubeline.config.yaml:/etc/kubeline/kubeline.config.yaml:ro" kubeline

# Build: every dependency, the TypeScript compiler included, then dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
# The sources tsconfig.build.json compiles; .dockerignore keeps tests, local state and secrets out.
COPY . .
RUN npm run build

# Runtime: production dependencies only, the compiled code and the report templates.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY templates ./templates
# The image's `node` user, by number so that Kubernetes can check runAsNonRoot against it.
USER 1000:1000
ENTRYPOINT ["node","dist/cli/main.js"]
CMD ["scan","--config","/etc/kubeline/kubeline.config.yaml"]
